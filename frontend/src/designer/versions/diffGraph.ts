// The canvas of a comparison: the newer machine as drawn, with the states only the older one
// had ghosted where they were, and every card and arrow marked added, removed or changed.
import {
  buildEdges,
  buildNodes,
  freeSpot,
  NODE_HEIGHT,
  NODE_WIDTH,
  type StateNode,
  type TransitionEdge,
} from "../../asl/graph";
import { transitionId } from "../../asl/transitions";
import type { DiffKind, TransitionDiff } from "./diff";
import type { Comparison } from "./versionsStore";

export type DiffNode = StateNode & { data: StateNode["data"] & { diff: DiffKind } };

function edgeId(t: Pick<TransitionDiff, "scope" | "transition">): string {
  const id = transitionId(t.transition);
  return t.scope === "" ? id : `${t.scope}|${id}`;
}

export function diffGraph(comparison: Comparison): { nodes: DiffNode[]; edges: TransitionEdge[] } {
  const { older, newer, diff } = comparison;
  const kinds = new Map(diff.states.map((s) => [s.key, s.kind]));
  const newerNodes = buildNodes(newer);
  const shown = new Set(newerNodes.map((n) => n.id));
  const mark = (node: StateNode, kind: DiffKind): DiffNode => ({
    ...node,
    selectable: node.type !== "lane",
    draggable: false,
    connectable: false,
    className: `diff-${kind}`,
    data: { ...node.data, diff: kind },
  });
  const nodes: DiffNode[] = newerNodes.map((n) =>
    mark(n, n.type === "lane" ? "same" : (kinds.get(n.id) ?? "same")),
  );
  const taken = newerNodes
    .filter((n) => !n.parentId)
    .map((n) => ({ ...n.position, width: n.width ?? NODE_WIDTH, height: n.height ?? NODE_HEIGHT }));
  for (const node of buildNodes(older)) {
    if (shown.has(node.id)) continue;
    // A ghost whose holder is gone too is drawn inside that holder's ghost.
    if (node.parentId && !shown.has(node.parentId)) continue;
    const ghost = mark(node, "removed");
    if (!node.parentId) {
      const box = { width: node.width ?? NODE_WIDTH, height: node.height ?? NODE_HEIGHT };
      // Ghosts never hide what the newer machine has where they stood.
      const overlapped = taken.some(
        (b) =>
          node.position.x < b.x + b.width &&
          b.x < node.position.x + box.width &&
          node.position.y < b.y + b.height &&
          b.y < node.position.y + box.height,
      );
      // Beside, not below, where it stood: an arrow into it then passes no newer card.
      const beside = { x: node.position.x + box.width + 40, y: node.position.y };
      if (overlapped) ghost.position = freeSpot(taken, beside);
      taken.push({ ...ghost.position, ...box });
    }
    shown.add(node.id);
    nodes.push(ghost);
  }

  const changed = new Map<string, TransitionDiff["kind"]>();
  for (const t of diff.transitions) if (t.kind !== "removed") changed.set(edgeId(t), t.kind);
  const edges: TransitionEdge[] = buildEdges(newer.definition).map((edge) => {
    const kind = changed.get(edge.id);
    return kind ? { ...edge, className: `${edge.className ?? ""} diff-edge-${kind}` } : edge;
  });
  const removed = new Set(diff.transitions.filter((t) => t.kind === "removed").map(edgeId));
  for (const edge of buildEdges(older.definition)) {
    if (!removed.has(edge.id)) continue;
    if (!shown.has(edge.source) || !shown.has(edge.target)) continue;
    edges.push({
      ...edge,
      id: `was:${edge.id}`,
      className: `${edge.className ?? ""} diff-edge-removed`,
      style: { strokeDasharray: "4 4" },
      zIndex: (edge.zIndex ?? 0) + 1,
    });
  }
  return { nodes, edges };
}
