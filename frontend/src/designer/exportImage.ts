// Export of the canvas as drawn, to SVG and PNG, in the browser. The SVG is drawn from the
// graph model (nodes with their positions and sizes, and the arrows between them) rather than
// copied from the page: it then holds every state, also those scrolled out of view or culled on
// a big machine, and its text is real text a reader (or a test) can search. The PNG is that SVG
// rasterised at twice its size, so names stay sharp.
import { NODE_HEIGHT, NODE_WIDTH, type StateNode, type TransitionEdge } from "../asl/graph";

const TYPE_COLOURS: Record<string, string> = {
  Pass: "#6b7a99",
  Task: "#2f5bd3",
  Choice: "#8a3ffc",
  Wait: "#0e7c86",
  Succeed: "#1b7f45",
  Fail: "#c0281b",
  Parallel: "#b5520a",
  Map: "#9f1853",
};
const MARGIN = 32;
const TITLE_HEIGHT = 36;
const FONT = "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif";
/** Characters of a 13 px name that fit across a card; longer names wrap, never clipped. */
const NAME_CHARS = 24;
const LINE_HEIGHT = 16;
/** The largest side a browser will rasterise reliably. */
const MAX_CANVAS_SIDE = 16_000;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Splits a name into lines of at most ``limit`` characters, at spaces where it can. */
export function wrapName(name: string, limit = NAME_CHARS): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of name.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > limit) {
      if (line) lines.push(line);
      line = "";
      lines.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= limit) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** Each node's box in the canvas's own coordinates (positions are relative to parents). */
function absoluteBoxes(nodes: StateNode[]): Map<string, Box> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const boxes = new Map<string, Box>();
  const boxOf = (node: StateNode): Box => {
    const known = boxes.get(node.id);
    if (known) return known;
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    const origin = parent ? boxOf(parent) : { x: 0, y: 0 };
    const box = {
      x: origin.x + node.position.x,
      y: origin.y + node.position.y,
      width: node.width ?? node.measured?.width ?? NODE_WIDTH,
      height: node.height ?? node.measured?.height ?? NODE_HEIGHT,
    };
    boxes.set(node.id, box);
    return box;
  };
  for (const node of nodes) boxOf(node);
  return boxes;
}

/** A card's height in the export: taller than on screen only when its name needs more lines. */
function cardHeight(node: StateNode, box: Box): number {
  return Math.max(box.height, 30 + wrapName(node.data.name).length * LINE_HEIGHT);
}

function arrowPath(from: Box, fromHeight: number, to: Box): string {
  const sx = from.x + from.width / 2;
  const sy = from.y + fromHeight;
  const tx = to.x + to.width / 2;
  const ty = to.y;
  // Downwards (also onto a card drawn close under this one): straight down, across, down.
  if (ty >= sy - fromHeight / 2) {
    const middle = (sy + ty) / 2;
    return `M${sx},${sy} V${middle} H${tx} V${ty}`;
  }
  // Back up the page (a loop): out of the right side, round, and into the target's top.
  const side = Math.max(from.x + from.width, to.x + to.width) + 24;
  return `M${from.x + from.width},${from.y + fromHeight / 2} H${side} V${ty - 16} H${tx} V${ty}`;
}

export interface CanvasDrawing {
  svg: string;
  width: number;
  height: number;
}

/** The canvas as an SVG document: containers, branch lanes, arrows with labels, then cards. */
export function canvasSvg(
  title: string,
  nodes: StateNode[],
  edges: TransitionEdge[],
): CanvasDrawing {
  const boxes = absoluteBoxes(nodes);
  const heights = new Map(
    nodes.map((n) => [
      n.id,
      n.type === "state" ? cardHeight(n, boxes.get(n.id)!) : boxes.get(n.id)!.height,
    ]),
  );
  const all = [...boxes.entries()].map(([id, b]) => ({ ...b, height: heights.get(id)! }));
  const left = (all.length ? Math.min(...all.map((b) => b.x)) : 0) - MARGIN;
  const top = (all.length ? Math.min(...all.map((b) => b.y)) : 0) - MARGIN - TITLE_HEIGHT;
  // Wide enough for the title too (about 11 px a character at 18 px bold).
  const titleRight = left + 2 * MARGIN + title.length * 11;
  const right = Math.max(titleRight, ...all.map((b) => b.x + b.width + 40)) + MARGIN;
  const bottom = Math.max(top + TITLE_HEIGHT + 80, ...all.map((b) => b.y + b.height)) + MARGIN;
  const width = Math.ceil(right - left);
  const height = Math.ceil(bottom - top);
  const parts: string[] = [];
  parts.push(
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="#f6f8fb"/>`,
    `<text x="${left + MARGIN}" y="${top + MARGIN + 6}" font-size="18" font-weight="700" fill="#1d2433">${escapeXml(title)}</text>`,
  );
  for (const node of nodes) {
    if (node.type === "state") continue;
    const b = boxes.get(node.id)!;
    const colour = TYPE_COLOURS[node.data.stateType] ?? "#7c879b";
    if (node.type === "container") {
      parts.push(
        `<g data-state="${escapeXml(node.data.name)}">`,
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="8" fill="#ffffff" fill-opacity="0.7" stroke="${colour}" stroke-width="1.5"/>`,
        `<rect x="${b.x}" y="${b.y}" width="6" height="${b.height}" rx="3" fill="${colour}"/>`,
        `<text x="${b.x + 16}" y="${b.y + 20}" font-size="11" fill="${colour}" font-weight="600">${node.data.stateType.toUpperCase()}</text>`,
        `<text x="${b.x + 16}" y="${b.y + 36}" font-size="14" font-weight="700" fill="#1d2433">${escapeXml(node.data.name)}</text>`,
        `</g>`,
      );
    } else {
      parts.push(
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6" fill="#f1f4f9" stroke="#c9d1de" stroke-dasharray="4 3"/>`,
        `<text x="${b.x + 8}" y="${b.y + 18}" font-size="12" fill="#5b6577">${escapeXml(node.data.name)}</text>`,
      );
    }
  }
  for (const edge of edges) {
    const from = boxes.get(edge.source);
    const to = boxes.get(edge.target);
    if (!from || !to) continue;
    const kind = edge.data?.transition.kind ?? "next";
    const dashed = kind === "catch" ? ' stroke-dasharray="6 4"' : "";
    const colour = kind === "catch" ? "#b5520a" : "#7c879b";
    const path = arrowPath(from, heights.get(edge.source)!, to);
    parts.push(
      `<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"${dashed} marker-end="url(#arrow)"/>`,
    );
    const label = edge.data?.transition.label;
    if (label) {
      const lx = (from.x + from.width / 2 + to.x + to.width / 2) / 2;
      const ly = (from.y + heights.get(edge.source)! + to.y) / 2;
      const w = Math.min(220, label.length * 6.5 + 12);
      parts.push(
        `<rect x="${lx - w / 2}" y="${ly - 9}" width="${w}" height="18" rx="4" fill="#ffffff" stroke="#dde2ea"/>`,
        `<text x="${lx}" y="${ly + 4}" font-size="11" text-anchor="middle" fill="#3b4456">${escapeXml(label)}</text>`,
      );
    }
  }
  for (const node of nodes) {
    if (node.type !== "state") continue;
    const b = boxes.get(node.id)!;
    const h = heights.get(node.id)!;
    const colour = TYPE_COLOURS[node.data.stateType] ?? "#7c879b";
    const lines = wrapName(node.data.name);
    parts.push(
      `<g data-state="${escapeXml(node.data.name)}">`,
      `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${h}" rx="6" fill="#ffffff" stroke="#c9d1de"/>`,
      `<rect x="${b.x}" y="${b.y}" width="5" height="${h}" rx="2" fill="${colour}"/>`,
      `<text x="${b.x + 14}" y="${b.y + 17}" font-size="10" font-weight="600" fill="${colour}">${node.data.stateType.toUpperCase()}${node.data.isStart ? " · START" : ""}</text>`,
      `<text x="${b.x + 14}" y="${b.y + 35}" font-size="13" font-weight="600" fill="#1d2433">`,
      ...lines.map(
        (line, i) =>
          `<tspan x="${b.x + 14}" dy="${i === 0 ? 0 : LINE_HEIGHT}">${escapeXml(line)}</tspan>`,
      ),
      `</text>`,
      `</g>`,
    );
  }
  const svg = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${left} ${top} ${width} ${height}" font-family="${FONT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7c879b"/></marker></defs>`,
    ...parts,
    `</svg>`,
  ].join("\n");
  return { svg, width, height };
}

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has its own reference by now; the URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSvg(drawing: CanvasDrawing, filename: string): void {
  download(new Blob([drawing.svg], { type: "image/svg+xml" }), filename);
}

/** Rasterises the drawing at twice its size (less for a huge machine) and downloads it. */
export async function downloadPng(drawing: CanvasDrawing, filename: string): Promise<void> {
  const scale = Math.min(2, MAX_CANVAS_SIDE / drawing.width, MAX_CANVAS_SIDE / drawing.height);
  const image = new Image();
  // A data: URL, not a blob: one: the page's Content-Security-Policy allows images from 'self'
  // and data: only.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(drawing.svg)}`;
  {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("The drawing could not be turned into an image."));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(drawing.width * scale);
    canvas.height = Math.round(drawing.height * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("This browser cannot draw images.");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, drawing.width, drawing.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (!blob) throw new Error("The image was too large to make.");
    download(blob, filename);
  }
}
