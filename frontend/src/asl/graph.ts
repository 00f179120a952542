// Turns a definition into typed React Flow nodes and edges, nested: a Map or Parallel is a
// container node holding its inner states (a Parallel holds one lane per branch), at any depth.
// Node ids are state keys (see scopes.ts); positions are relative to the node's parent.
import { MarkerType, type Edge, type Node } from "@xyflow/react";
import { isApprovalState } from "./approval";
import { innerStateCount, isTerminal, statesOf, typeOf } from "./definition";
import type { IterationCounts } from "./runStatus";
import {
  addressOf,
  allStateKeys,
  innerScopesOf,
  ownerOfScope,
  stateKey,
  statePointerIn,
  type InnerScope,
} from "./scopes";
import { transitionId, transitionsOf } from "./transitions";
import type {
  AutoLayout,
  Definition,
  Diagnostic,
  JsonObject,
  Layout,
  Position,
  StateStatus,
  Transition,
} from "./types";

// These match designer/layout.py, which lays cards out at one point per pixel.
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;
/** A container's title bar and the space around its inner states. */
export const HEADER_HEIGHT = 44;
export const PAD = 16;
/** A Parallel branch's lane: its title and the space around its states. */
export const LANE_HEADER = 28;
export const LANE_PAD = 8;
export const LANE_GAP = 12;
/** Room under a container's states for its "+ add a step" button. */
export const FOOTER_HEIGHT = 36;
/** Between a container's title and its first inner state. */
export const INNER_GAP = 8;
/** A container is at least this wide, so its title bar has room (as in designer/layout.py). */
export const CONTAINER_WIDTH = 300;

export type CanvasNodeType = "state" | "container" | "lane";

export interface StateNodeData extends Record<string, unknown> {
  /** The state's key; for a lane, the branch's pointer. */
  key: string;
  name: string;
  stateType: string;
  /** What the card's badge reads: the type, or "Approval" for a Task that waits for a person. */
  badge: string;
  isStart: boolean;
  isEnd: boolean;
  innerCount: number | null;
  /** A Map's iterations in the run shown; null before any ran or for other types. */
  iterations: IterationCounts | null;
  status: StateStatus;
  problems: Diagnostic[];
  /** A Map or Parallel drawn as a card, its inner states hidden. */
  collapsed: boolean;
  /** For a lane: which branch of how many, of which Parallel. */
  branch: { index: number; count: number; parallel: string } | null;
}
export type StateNode = Node<StateNodeData, CanvasNodeType>;

export interface TransitionEdgeData extends Record<string, unknown> {
  /** The scope the transition belongs to; its source and target are names in that scope. */
  scope: string;
  transition: Transition;
}
export type TransitionEdge = Edge<TransitionEdgeData, "smoothstep">;

export interface Box extends Position {
  width: number;
  height: number;
}

/** Where the inner states of a scope start, relative to the node that holds them. */
export function scopeOrigin(scope: string): Position {
  if (scope === "") return { x: 0, y: 0 };
  if (/\/Branches\/\d+$/.test(scope)) return { x: LANE_PAD, y: LANE_HEADER + LANE_PAD };
  return { x: PAD, y: HEADER_HEIGHT + PAD };
}

/**
 * Graphviz gives absolute boxes (top-left corners); the canvas wants each state relative to
 * the container or lane that holds it. Within each container the states keep their arrangement
 * but move up and left to where its inner states start: graphviz leaves slack around clusters.
 */
export function positionsFromAutoLayout(auto: AutoLayout | null): Layout {
  const result: Layout = {};
  if (!auto) return result;
  const byScope = new Map<string, [string, Position][]>();
  for (const [key, box] of Object.entries(auto.nodes)) {
    const { scope } = addressOf(key);
    if (ownerOfScope(scope) === null) {
      result[key] = { x: Math.round(box.x), y: Math.round(box.y) };
      continue;
    }
    byScope.set(scope, [...(byScope.get(scope) ?? []), [key, box]]);
  }
  for (const [scope, members] of byScope) {
    const origin = scopeOrigin(scope);
    const left = Math.min(...members.map(([, p]) => p.x));
    const top = Math.min(...members.map(([, p]) => p.y));
    for (const [key, p] of members) {
      result[key] = {
        x: Math.round(p.x - left + origin.x),
        y: Math.round(p.y - top + origin.y + INNER_GAP),
      };
    }
  }
  return result;
}

/**
 * Where to draw a machine: its stored positions over graphviz's. A layout stored before inner
 * states were drawn knows only top-level cards, and its Map and Parallel cards were small; now
 * they hold their steps and would cover their neighbours, so such a layout gives way to
 * graphviz's entirely.
 */
export function initialPositions(
  definition: Definition,
  auto: AutoLayout | null,
  stored: Layout | null,
): Layout {
  const computed = positionsFromAutoLayout(auto);
  const saved = stored ?? {};
  const nested = allStateKeys(definition).some((key) => key.startsWith("/"));
  const predatesNesting = nested && !Object.keys(saved).some((key) => key.startsWith("/"));
  return predatesNesting && auto ? computed : { ...computed, ...saved };
}

/** A spot for a state that no layout knows (just added): below the others in its scope. */
export function fallbackPosition(
  known: Box[],
  index: number,
  origin: Position = { x: 40, y: 0 },
): Position {
  const bottom = known.reduce(
    (lowest, b) => Math.max(lowest, b.y + b.height),
    origin.y - NODE_HEIGHT,
  );
  return {
    x: origin.x + (index % 3) * (NODE_WIDTH + 40),
    y: bottom + NODE_HEIGHT + Math.floor(index / 3) * 100,
  };
}

/** The clearance kept between cards, on every side. */
export const GAP = 24;

/** Whether two boxes come closer than GAP. */
export function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width + GAP &&
    b.x < a.x + a.width + GAP &&
    a.y < b.y + b.height + GAP &&
    b.y < a.y + a.height + GAP
  );
}

/**
 * The free spot nearest to where a new card was wanted, trying a grid of card-sized steps
 * around it ring by ring, so a new state (of `size`: a container is bigger than a card) never
 * lands on top of another one.
 */
export function freeSpot(
  taken: Box[],
  wanted: Position,
  minimum?: Position,
  size: { width: number; height: number } = { width: NODE_WIDTH, height: NODE_HEIGHT },
): Position {
  const step = { x: NODE_WIDTH + GAP, y: NODE_HEIGHT + GAP };
  const card = (p: Position): Box => ({ ...p, ...size });
  for (let ring = 0; ring <= 8; ring++) {
    const candidates: Position[] = [];
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const c = { x: wanted.x + dx * step.x, y: wanted.y + dy * step.y };
        if (minimum && (c.x < minimum.x || c.y < minimum.y)) continue;
        candidates.push(c);
      }
    }
    const distance = (p: Position) => Math.hypot(p.x - wanted.x, p.y - wanted.y);
    candidates.sort((a, b) => distance(a) - distance(b));
    const free = candidates.find((c) => !taken.some((b) => overlaps(card(c), b)));
    if (free) return free;
  }
  return wanted;
}

export interface GraphInput {
  definition: Definition;
  positions: Layout;
  statuses?: Record<string, StateStatus>;
  iterations?: Record<string, IterationCounts>;
  problems?: Record<string, Diagnostic[]>;
  selected?: string | null;
  /** Keys of the Map and Parallel states drawn folded up. */
  collapsed?: ReadonlySet<string>;
}

interface Built {
  nodes: StateNode[];
  /** The right and bottom edges of what was built, relative to its parent. */
  right: number;
  bottom: number;
}

function extent(nodes: StateNode[], parent: string | undefined): { right: number; bottom: number } {
  let right = 0;
  let bottom = 0;
  for (const node of nodes) {
    if (node.parentId !== parent) continue;
    right = Math.max(right, node.position.x + (node.width ?? NODE_WIDTH));
    bottom = Math.max(bottom, node.position.y + (node.height ?? NODE_HEIGHT));
  }
  return { right, bottom };
}

function buildScope(input: GraphInput, holder: JsonObject, scope: string, parent?: string): Built {
  const { positions, statuses = {}, iterations = {}, problems = {}, selected = null } = input;
  const collapsed = input.collapsed ?? new Set<string>();
  const origin = scopeOrigin(scope);
  const nodes: StateNode[] = [];
  const placed: Box[] = [];
  const unplaced: { node: StateNode; index: number }[] = [];
  for (const [name, state] of Object.entries(statesOf(holder))) {
    const key = stateKey(scope, name);
    const type = typeOf(state);
    const inner = innerScopesOf(state, statePointerIn(scope, name));
    const isContainer = type === "Map" || type === "Parallel";
    const folded = isContainer && collapsed.has(key);
    const node: StateNode = {
      id: key,
      type: isContainer && !folded ? "container" : "state",
      position: positions[key] ?? { x: 0, y: 0 },
      selected: key === selected,
      ...(parent === undefined ? {} : { parentId: parent }),
      data: {
        key,
        name,
        stateType: type,
        badge: type === "Task" && isApprovalState(state) ? "Approval" : type,
        isStart: holder["StartAt"] === name,
        isEnd: isTerminal(state),
        innerCount: innerStateCount(state),
        iterations: iterations[key] ?? null,
        status: statuses[key] ?? "idle",
        problems: problems[key] ?? [],
        collapsed: folded,
        branch: null,
      },
    };
    const children = isContainer && !folded ? buildContainer(input, node, inner) : [];
    if (!(key in positions)) unplaced.push({ node, index: unplaced.length });
    else
      placed.push({
        ...node.position,
        width: node.width ?? NODE_WIDTH,
        height: node.height ?? NODE_HEIGHT,
      });
    nodes.push(node, ...children);
  }
  for (const { node, index } of unplaced) {
    node.position = fallbackPosition(placed, index, parent === undefined ? undefined : origin);
  }
  return { nodes, ...extent(nodes, parent) };
}

/** Lays out a container's inner states (and lanes) and sizes the container to hold them. */
function buildContainer(input: GraphInput, node: StateNode, inner: InnerScope[]): StateNode[] {
  const children: StateNode[] = [];
  if (node.data.stateType === "Map") {
    const built = inner[0]
      ? buildScope(input, inner[0].scope, inner[0].pointer, node.id)
      : { nodes: [], right: 0, bottom: 0 };
    children.push(...built.nodes);
    node.width = Math.max(CONTAINER_WIDTH, built.right + PAD);
    node.height = Math.max(HEADER_HEIGHT + PAD + NODE_HEIGHT, built.bottom) + FOOTER_HEIGHT + PAD;
  } else {
    let x = PAD;
    let tallest = 0;
    for (const branch of inner) {
      const built = buildScope(input, branch.scope, branch.pointer, branch.pointer);
      const width = Math.max(NODE_WIDTH + 2 * LANE_PAD, built.right + LANE_PAD);
      const height =
        Math.max(LANE_HEADER + LANE_PAD + NODE_HEIGHT, built.bottom) + FOOTER_HEIGHT + LANE_PAD;
      children.push(
        {
          id: branch.pointer,
          type: "lane",
          parentId: node.id,
          position: { x, y: HEADER_HEIGHT + PAD },
          width,
          height,
          selectable: false,
          draggable: false,
          data: {
            ...node.data,
            key: branch.pointer,
            name: `Branch ${branch.index + 1}`,
            stateType: "Branch",
            badge: "Branch",
            isStart: false,
            isEnd: false,
            innerCount: null,
            iterations: null,
            status: "idle",
            problems: [],
            branch: { index: branch.index, count: inner.length, parallel: node.id },
          },
        },
        ...built.nodes,
      );
      x += width + LANE_GAP;
      tallest = Math.max(tallest, height);
    }
    // Lanes must all be as tall as the tallest, so the container reads as one block.
    for (const lane of children) if (lane.type === "lane") lane.height = tallest;
    node.width = Math.max(CONTAINER_WIDTH, x - LANE_GAP + PAD);
    // Below the lanes, a footer for "+ add a branch" (and a problem), keeping the title bar
    // for the name.
    node.height = HEADER_HEIGHT + PAD + Math.max(tallest, NODE_HEIGHT) + FOOTER_HEIGHT + PAD;
  }
  node.style = { width: node.width, height: node.height };
  return children;
}

export function buildNodes(input: GraphInput): StateNode[] {
  return buildScope(input, input.definition, "").nodes;
}

/** The scopes drawn open: the definition and the inner machines of expanded containers. */
function openScopes(
  holder: JsonObject,
  scope: string,
  collapsed: ReadonlySet<string>,
  depth = 0,
): { holder: JsonObject; scope: string; depth: number }[] {
  return [
    { holder, scope, depth },
    ...Object.entries(statesOf(holder)).flatMap(([name, state]) =>
      collapsed.has(stateKey(scope, name))
        ? []
        : innerScopesOf(state, statePointerIn(scope, name)).flatMap((inner) =>
            openScopes(inner.scope, inner.pointer, collapsed, depth + 1),
          ),
    ),
  ];
}

export function buildEdges(
  definition: Definition,
  collapsed: ReadonlySet<string> = new Set(),
): TransitionEdge[] {
  return openScopes(definition, "", collapsed).flatMap(({ holder, scope, depth }) =>
    transitionsOf(holder).map((transition) => ({
      id: scope === "" ? transitionId(transition) : `${scope}|${transitionId(transition)}`,
      type: "smoothstep" as const,
      source: stateKey(scope, transition.source),
      target: stateKey(scope, transition.target),
      className: `edge-${transition.kind}`,
      label: transition.label || undefined,
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      style: transition.kind === "catch" ? { strokeDasharray: "6 4" } : undefined,
      // Inner arrows are drawn above the containers they run in.
      ...(depth > 0 ? { zIndex: depth } : {}),
      data: { scope, transition },
    })),
  );
}
