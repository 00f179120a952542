// What the store computes from its own state: the graph React Flow draws, and whether the
// machine differs from what was last saved.
import { buildEdges, buildNodes } from "../asl/graph";
import { groupDiagnostics } from "../asl/pointer";
import { approvalsOf, displayStatuses } from "../asl/operator";
import { allStateKeys, isWithin } from "../asl/scopes";
import type { Definition, Layout } from "../asl/types";
import type { GraphStore } from "./types";

export function snapshot(definition: Definition, positions: Layout): string {
  return JSON.stringify({ definition, positions });
}

export function isDirty(
  store: Pick<GraphStore, "definition" | "positions" | "savedSnapshot">,
): boolean {
  return snapshot(store.definition, store.positions) !== store.savedSnapshot;
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
  const nodes = buildNodes({
    definition: next.definition,
    positions: next.positions,
    statuses: displayStatuses(next.run, approvalsOf(next.pendingTasks)),
    iterations: next.run.iterations,
    problems: groupDiagnostics(next.diagnostics, keys).byState,
    selected: next.selected,
    collapsed,
  }).map((node) => ({ ...node, measured: measured.get(node.id) }));
  return { nodes, edges: buildEdges(next.definition, collapsed) };
}

export function prettyJson(definition: Definition): string {
  return JSON.stringify(definition, null, 2);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
