// What the store computes from its own state: the graph React Flow draws, and whether the
// machine differs from what was last saved.
import { buildEdges, buildNodes, type StateNode, type TransitionEdge } from "../asl/graph";
import { groupDiagnostics } from "../asl/pointer";
import { approvalsOf, displayStatuses } from "../asl/operator";
import { addressOf, allStateKeys, isWithin } from "../asl/scopes";
import type { Definition, Layout, StateStatus } from "../asl/types";
import type { GraphStore } from "./types";

export function snapshot(definition: Definition, positions: Layout): string {
  return JSON.stringify({ definition, positions });
}

export function isDirty(
  store: Pick<GraphStore, "definition" | "positions" | "savedSnapshot">,
): boolean {
  return snapshot(store.definition, store.positions) !== store.savedSnapshot;
}

/** Whether this user may change the machine: a viewer is offered no paste, no import. */
export function canEdit(store: Pick<GraphStore, "permissions">): boolean {
  return store.permissions.includes("edit");
}

/** Rebuilds nodes and edges, keeping what React Flow measured so nodes are not re-laid. */
export function graphOf(
  store: GraphStore,
  overrides: Partial<GraphStore>,
): Pick<GraphStore, "nodes" | "edges"> {
  const next = { ...store, ...overrides };
  // A problem inside a folded container shows on the container.
  const keys = allStateKeys(next.definition).filter(
    (key) => !next.collapsed.some((outer) => key !== outer && isWithin(key, outer)),
  );
  const collapsed = new Set(next.collapsed);
  const measured = new Map(store.nodes.map((node) => [node.id, node.measured]));
  // A card being dragged is where the pointer has it, not yet in the layout (settleDrag).
  const dragged = new Map(
    store.nodes.filter((node) => node.dragging).map((node) => [node.id, node.position]),
  );
  // A selection of several states survives a rebuild while the state the form shows is in it;
  // picking any other state alone (from the problems list, say) ends it.
  const together = new Set(store.nodes.filter((node) => node.selected).map((node) => node.id));
  const keepTogether = next.selected !== null && together.has(next.selected) && together.size > 1;
  const nodes = buildNodes({
    definition: next.definition,
    positions: next.positions,
    statuses: canvasStatuses(next, keys),
    iterations: next.run.iterations,
    problems: groupDiagnostics(next.diagnostics, keys).byState,
    selected: next.selected,
    collapsed,
  }).map((node) => ({
    ...node,
    ...(dragged.has(node.id) ? { position: dragged.get(node.id)!, dragging: true } : {}),
    measured: measured.get(node.id),
    ...(keepTogether && together.has(node.id) ? { selected: true } : {}),
  }));
  return {
    nodes: keepUnchanged(store.nodes, nodes, sameNode),
    edges: keepUnchanged(store.edges, buildEdges(next.definition, collapsed), sameEdge),
  };
}

/**
 * The states' colours: the server's (graph-status) once it answered, else folded from the
 * events this page holds. A running state an approval waits on shows waiting, but not in a
 * moment of the past the scrubber shows.
 */
function canvasStatuses(next: GraphStore, keys: string[]): Record<string, StateStatus> {
  const approvals = approvalsOf(next.pendingTasks);
  const shown = next.serverStatuses;
  if (!shown) return displayStatuses(next.run, approvals, keys);
  if (shown.past) return shown.statuses;
  // The server keys states as the canvas does; an approval names its state only.
  const byName = new Map(keys.map((key) => [addressOf(key).name, key]));
  const statuses = { ...shown.statuses };
  for (const task of approvals) {
    const card = byName.get(task.state_name) ?? task.state_name;
    if (statuses[card] === "running") statuses[card] = "waiting";
  }
  return statuses;
}

/**
 * The rebuilt list, with each item that did not change replaced by the one it replaces: React
 * Flow then skips drawing it again, so an edit costs what it changes, not the machine's size.
 */
function keepUnchanged<T extends { id: string }>(
  before: T[],
  after: T[],
  same: (a: T, b: T) => boolean,
): T[] {
  const previous = new Map(before.map((item) => [item.id, item]));
  let reused = 0;
  const result = after.map((item) => {
    const old = previous.get(item.id);
    if (old && same(old, item)) {
      reused++;
      return old;
    }
    return item;
  });
  return reused === before.length && result.length === before.length ? before : result;
}

/** Equal as JSON: for the small values a node or an edge carries. */
function equalValues(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameNode(a: StateNode, b: StateNode): boolean {
  return (
    a.type === b.type &&
    a.parentId === b.parentId &&
    a.selected === b.selected &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    a.measured === b.measured &&
    equalValues(a.data, b.data)
  );
}

function sameEdge(a: TransitionEdge, b: TransitionEdge): boolean {
  return (
    a.source === b.source &&
    a.target === b.target &&
    a.label === b.label &&
    a.className === b.className &&
    a.zIndex === b.zIndex &&
    a.selected === b.selected &&
    equalValues(a.data, b.data)
  );
}

export function prettyJson(definition: Definition): string {
  return JSON.stringify(definition, null, 2);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
