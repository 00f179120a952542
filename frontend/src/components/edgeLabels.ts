// Where each arrow's label goes: on its own arrow, at the first spot that covers no card, no
// container's title or buttons, and no label placed before it. Long labels are shortened (the
// whole text shows on hover).
import { getSmoothStepPath, Position as Side } from "@xyflow/react";
import {
  FOOTER_HEIGHT,
  HEADER_HEIGHT,
  LANE_HEADER,
  NODE_HEIGHT,
  NODE_WIDTH,
  type StateNode,
  type TransitionEdge,
} from "../asl/graph";
import type { Position } from "../asl/types";

/** Longer labels are cut to this many characters and end in "…". */
export const MAX_LABEL_CHARS = 26;
export const LABEL_HEIGHT = 18;
/** Free space kept around a label, so two never touch. */
const MARGIN = 3;
/** Where along its arrow a label is tried first: the middle, then out towards the ends. */
const FRACTIONS = [0.5, 0.38, 0.62, 0.26, 0.74, 0.15, 0.85, 0.44, 0.56, 0.32, 0.68, 0.2, 0.8];

export interface PlacedLabel {
  /** The label's centre, in flow coordinates. */
  x: number;
  y: number;
  width: number;
  text: string;
  full: string;
}

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function shorten(label: string): string {
  return label.length <= MAX_LABEL_CHARS ? label : `${label.slice(0, MAX_LABEL_CHARS - 1)}…`;
}

function rectAround(centre: Position, width: number): Rect {
  return {
    left: centre.x - width / 2 - MARGIN,
    right: centre.x + width / 2 + MARGIN,
    top: centre.y - LABEL_HEIGHT / 2 - MARGIN,
    bottom: centre.y + LABEL_HEIGHT / 2 + MARGIN,
  };
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

const CELL = 256;

/** Rectangles bucketed by area, so a label is checked only against what is near it. */
class Grid {
  private cells = new Map<string, Rect[]>();

  private keys(rect: Rect): string[] {
    const keys: string[] = [];
    for (let x = Math.floor(rect.left / CELL); x <= Math.floor(rect.right / CELL); x++)
      for (let y = Math.floor(rect.top / CELL); y <= Math.floor(rect.bottom / CELL); y++)
        keys.push(`${x},${y}`);
    return keys;
  }

  add(rect: Rect): void {
    for (const key of this.keys(rect)) {
      const cell = this.cells.get(key);
      if (cell) cell.push(rect);
      else this.cells.set(key, [rect]);
    }
  }

  near(rect: Rect): Rect[] {
    const found = new Set<Rect>();
    for (const key of this.keys(rect)) for (const r of this.cells.get(key) ?? []) found.add(r);
    return [...found];
  }
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every node's box in flow coordinates: parents come before their children. */
function absoluteBoxes(nodes: StateNode[]): Map<string, Box> {
  const boxes = new Map<string, Box>();
  for (const node of nodes) {
    const parent = node.parentId ? boxes.get(node.parentId) : undefined;
    boxes.set(node.id, {
      x: node.position.x + (parent?.x ?? 0),
      y: node.position.y + (parent?.y ?? 0),
      width: node.width ?? node.measured?.width ?? NODE_WIDTH,
      height: node.height ?? node.measured?.height ?? NODE_HEIGHT,
    });
  }
  return boxes;
}

/** What a label must not cover: cards, and the title bars and footers of containers. */
function obstaclesOf(nodes: StateNode[], boxes: Map<string, Box>): Rect[] {
  const rects: Rect[] = [];
  const rect = (b: Box, top: number, height: number): Rect => ({
    left: b.x,
    right: b.x + b.width,
    top: b.y + top,
    bottom: b.y + top + height,
  });
  for (const node of nodes) {
    const b = boxes.get(node.id);
    if (!b) continue;
    if (node.type === "state") rects.push(rect(b, 0, b.height));
    else {
      const header = node.type === "lane" ? LANE_HEADER : HEADER_HEIGHT;
      rects.push(rect(b, 0, header), rect(b, b.height - FOOTER_HEIGHT, FOOTER_HEIGHT));
    }
  }
  return rects;
}

// An arrow's corners depend only on its two ends; most stay put through an edit.
const cornersCache = new Map<string, Position[]>();

/** The corners of a smooth-step arrow, as React Flow draws it (its bends are short arcs). */
function arrowPoints(source: Box, target: Box): Position[] {
  const key = `${source.x},${source.y},${source.width},${source.height},${target.x},${target.y},${target.width}`;
  const known = cornersCache.get(key);
  if (known) return known;
  if (cornersCache.size > 10_000) cornersCache.clear();
  const points = computeArrowPoints(source, target);
  cornersCache.set(key, points);
  return points;
}

/**
 * Whether an arrow is drawn as a gentle curve rather than in steps: when its ends are nearly
 * in line, or too close above each other for steps to bend cleanly (steps would kink there,
 * into a container's title bar, say).
 */
export function drawnAsCurve(sx: number, sy: number, tx: number, ty: number): boolean {
  const down = ty - sy;
  return down > 0 && (Math.abs(tx - sx) < 40 || down < 48);
}

function computeArrowPoints(source: Box, target: Box): Position[] {
  const ends = {
    sourceX: source.x + source.width / 2,
    sourceY: source.y + source.height,
    targetX: target.x + target.width / 2,
    targetY: target.y,
  };
  if (drawnAsCurve(ends.sourceX, ends.sourceY, ends.targetX, ends.targetY)) {
    return [
      { x: ends.sourceX, y: ends.sourceY },
      { x: ends.targetX, y: ends.targetY },
    ];
  }
  const [path] = getSmoothStepPath({
    ...ends,
    sourcePosition: Side.Bottom,
    targetPosition: Side.Top,
  });
  const numbers = (path.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map(Number);
  const points: Position[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2)
    points.push({ x: numbers[i] ?? 0, y: numbers[i + 1] ?? 0 });
  return points;
}

/** The point a fraction of the way along a polyline, and whether it runs across there. */
function along(points: Position[], fraction: number): { point: Position; across: boolean } {
  const lengths = points.slice(1).map((p, i) => {
    const q = points[i] ?? p;
    return Math.hypot(p.x - q.x, p.y - q.y);
  });
  let left = lengths.reduce((sum, l) => sum + l, 0) * fraction;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i] ?? 0;
    const from = points[i];
    const to = points[i + 1];
    if (!from || !to) break;
    if (left <= length || i === lengths.length - 1) {
      const t = length ? Math.min(1, left / length) : 0;
      return {
        point: { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t },
        across: Math.abs(to.x - from.x) > Math.abs(to.y - from.y),
      };
    }
    left -= length;
  }
  return { point: points[0] ?? { x: 0, y: 0 }, across: false };
}

/** Spots to try for a label of this width on this arrow, best first. */
function candidates(points: Position[], width: number): Position[] {
  const spots: Position[] = [];
  for (const fraction of FRACTIONS) {
    const { point, across } = along(points, fraction);
    spots.push(point);
    // Beside the line rather than on it: still reads as the arrow's.
    const dx = across ? 0 : width / 2 + 4;
    const dy = across ? LABEL_HEIGHT / 2 + 3 : 0;
    spots.push({ x: point.x + dx, y: point.y + dy }, { x: point.x - dx, y: point.y - dy });
  }
  return spots;
}

/** Places every labelled arrow's label; arrows without a label get none. */
export function placeLabels(
  nodes: StateNode[],
  edges: TransitionEdge[],
  measure: (text: string) => number,
): Map<string, PlacedLabel> {
  const placed = new Map<string, PlacedLabel>();
  const labelled = edges.filter((e) => typeof e.label === "string" && e.label);
  if (labelled.length === 0) return placed;
  const boxes = absoluteBoxes(nodes);
  const taken = new Grid();
  for (const rect of obstaclesOf(nodes, boxes)) taken.add(rect);
  for (const edge of labelled) {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!source || !target) continue;
    const full = String(edge.label);
    const text = shorten(full);
    const width = Math.ceil(measure(text));
    let best: { spot: Position; cost: number } | null = null;
    for (const spot of candidates(arrowPoints(source, target), width)) {
      const area = rectAround(spot, width);
      const cost = taken.near(area).reduce((sum, r) => sum + overlapArea(area, r), 0);
      if (best === null || cost < best.cost) best = { spot, cost };
      if (cost === 0) break;
    }
    if (!best) continue;
    taken.add(rectAround(best.spot, width));
    placed.set(edge.id, { ...best.spot, width, text, full });
  }
  return placed;
}

const widths = new Map<string, number>();
let ruler: HTMLSpanElement | null = null;

/** A label's width as the browser draws it, padding and border included (see .edge-label in
 * Canvas.css): measured once per text on a hidden label, so placement matches what shows. */
export function measureLabel(text: string): number {
  const known = widths.get(text);
  if (known !== undefined) return known;
  if (!ruler) {
    ruler = document.createElement("span");
    ruler.className = "edge-label";
    ruler.setAttribute("aria-hidden", "true");
    Object.assign(ruler.style, { visibility: "hidden", left: "-9999px", top: "0", width: "auto" });
    document.body.appendChild(ruler);
  }
  ruler.textContent = text;
  const width = Math.ceil(ruler.getBoundingClientRect().width) + 1;
  widths.set(text, width);
  return width;
}
