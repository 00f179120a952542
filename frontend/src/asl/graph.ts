// Turns a definition into typed React Flow nodes and edges.
import { MarkerType, type Edge, type Node } from "@xyflow/react";
import { innerStateCount, isTerminal, statesOf, typeOf } from "./definition";
import type { IterationCounts } from "./runStatus";
import { transitionId, transitionsOf } from "./transitions";
import type {
  AutoLayout,
  Definition,
  Diagnostic,
  Layout,
  Position,
  StateStatus,
  Transition,
} from "./types";

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

export interface StateNodeData extends Record<string, unknown> {
  name: string;
  stateType: string;
  isStart: boolean;
  isEnd: boolean;
  innerCount: number | null;
  /** A Map's iterations in the run shown; null before any ran or for other types. */
  iterations: IterationCounts | null;
  status: StateStatus;
  problems: Diagnostic[];
}
export type StateNode = Node<StateNodeData, "state">;

export interface TransitionEdgeData extends Record<string, unknown> {
  transition: Transition;
}
export type TransitionEdge = Edge<TransitionEdgeData, "smoothstep">;

/** Our cards are larger than graphviz's boxes and carry edge labels between them: spread out. */
export const LAYOUT_SPREAD = { x: 1.2, y: 1.5 };

/** Graphviz gives boxes by their top-left corner; our cards have their own size, so centre them. */
export function positionsFromAutoLayout(auto: AutoLayout | null): Layout {
  const result: Layout = {};
  if (!auto) return result;
  for (const [name, box] of Object.entries(auto.nodes)) {
    result[name] = {
      x: Math.round((box.x + box.width / 2) * LAYOUT_SPREAD.x - NODE_WIDTH / 2),
      y: Math.round((box.y + box.height / 2) * LAYOUT_SPREAD.y - NODE_HEIGHT / 2),
    };
  }
  return result;
}

/** A spot for a state that neither layout knows (just added): below everything else. */
export function fallbackPosition(known: Position[], index: number): Position {
  const bottom = known.reduce((lowest, p) => Math.max(lowest, p.y), -NODE_HEIGHT * 2);
  return {
    x: 40 + (index % 3) * (NODE_WIDTH + 40),
    y: bottom + NODE_HEIGHT * 2 + Math.floor(index / 3) * 100,
  };
}

const GAP = 24;

function overlaps(a: Position, b: Position): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH + GAP && Math.abs(a.y - b.y) < NODE_HEIGHT + GAP;
}

/**
 * The free spot nearest to where a new card was wanted, trying a grid of card-sized steps
 * around it ring by ring, so a new state never lands on top of another one.
 */
export function freeSpot(positions: Layout, wanted: Position): Position {
  const taken = Object.values(positions);
  const step = { x: NODE_WIDTH + GAP, y: NODE_HEIGHT + GAP };
  for (let ring = 0; ring <= 6; ring++) {
    const candidates: Position[] = [];
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        candidates.push({ x: wanted.x + dx * step.x, y: wanted.y + dy * step.y });
      }
    }
    const distance = (p: Position) => Math.hypot(p.x - wanted.x, p.y - wanted.y);
    candidates.sort((a, b) => distance(a) - distance(b));
    const free = candidates.find((c) => !taken.some((p) => overlaps(c, p)));
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
}

export function buildNodes({
  definition,
  positions,
  statuses = {},
  iterations = {},
  problems = {},
  selected = null,
}: GraphInput): StateNode[] {
  const states = statesOf(definition);
  const known = Object.keys(states)
    .map((name) => positions[name])
    .filter((p): p is Position => p !== undefined);
  let unplaced = 0;
  return Object.entries(states).map(([name, state]) => ({
    id: name,
    type: "state",
    position: positions[name] ?? fallbackPosition(known, unplaced++),
    selected: name === selected,
    data: {
      name,
      stateType: typeOf(state),
      isStart: definition["StartAt"] === name,
      isEnd: isTerminal(state),
      innerCount: innerStateCount(state),
      iterations: iterations[name] ?? null,
      status: statuses[name] ?? "idle",
      problems: problems[name] ?? [],
    },
  }));
}

export function buildEdges(definition: Definition): TransitionEdge[] {
  return transitionsOf(definition).map((transition) => ({
    id: transitionId(transition),
    type: "smoothstep",
    source: transition.source,
    target: transition.target,
    className: `edge-${transition.kind}`,
    label: transition.label || undefined,
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    style: transition.kind === "catch" ? { strokeDasharray: "6 4" } : undefined,
    data: { transition },
  }));
}
