// Two versions compared on the canvas, read-only: the newer machine with its added and changed
// states coloured, the removed ones ghosted where they were, and the arrows likewise.
import {
  Background,
  Controls,
  ReactFlow,
  type EdgeTypes,
  type NodeProps,
  type NodeTypes,
  useReactFlow,
} from "@xyflow/react";
import { useEffect, useMemo } from "react";
import type { StateNode } from "../../asl/graph";
import {
  ContainerNodeView,
  EditableContext,
  LaneNodeView,
} from "../../components/ContainerNodeView";
import { measureLabel, placeLabels } from "../../components/edgeLabels";
import { StateNodeView } from "../../components/StateNodeView";
import { TransitionEdgeView, type ShownEdge } from "../../components/TransitionEdgeView";
import type { DiffKind } from "./diff";
import { diffGraph, type DiffNode } from "./diffGraph";
import { sideName, useVersions } from "./versionsStore";
import "./versions.css";

export const DIFF_LABELS: Record<DiffKind, string> = {
  added: "Added",
  removed: "Removed",
  changed: "Changed",
  same: "Unchanged",
};

function DiffBadge({ kind, name }: { kind: DiffKind; name: string }) {
  if (kind === "same") return null;
  return (
    <span className={`diff-badge diff-badge-${kind}`} data-testid={`diff-badge-${name}`}>
      {DIFF_LABELS[kind]}
    </span>
  );
}

function DiffStateNode(props: NodeProps<StateNode>) {
  const { diff } = props.data as DiffNode["data"];
  return (
    <div
      className={`diff-node diff-${diff}`}
      data-testid={`diff-node-${props.data.name}`}
      data-diff={diff}
    >
      <StateNodeView {...props} />
      <DiffBadge kind={diff} name={props.data.name} />
    </div>
  );
}

function DiffContainerNode(props: NodeProps<StateNode>) {
  const { diff } = props.data as DiffNode["data"];
  return (
    <div
      className={`diff-node diff-container diff-${diff}`}
      data-testid={`diff-node-${props.data.name}`}
      data-diff={diff}
    >
      <ContainerNodeView {...props} />
      <DiffBadge kind={diff} name={props.data.name} />
    </div>
  );
}

const nodeTypes: NodeTypes = {
  state: DiffStateNode,
  container: DiffContainerNode,
  lane: LaneNodeView,
};
const edgeTypes: EdgeTypes = { smoothstep: TransitionEdgeView };
const FIT = { padding: 0.15, maxZoom: 1.1, minZoom: 0.5 };

export function DiffLegend() {
  return (
    <ul className="legend diff-legend" aria-label="What the colours mean" data-testid="diff-legend">
      {(["added", "changed", "removed", "same"] as const).map((kind) => (
        <li key={kind}>
          <span className={`legend-swatch diff-swatch-${kind}`} />
          {kind === "removed" ? "Removed (ghosted)" : DIFF_LABELS[kind]}
        </li>
      ))}
      <li>
        <span className="diff-arrow diff-arrow-added" /> new arrow
      </li>
      <li>
        <span className="diff-arrow diff-arrow-removed" /> arrow gone
      </li>
    </ul>
  );
}

export function DiffCanvas() {
  const comparison = useVersions((s) => s.comparison);
  const close = useVersions((s) => s.closeComparison);
  const focus = useVersions((s) => s.focus);
  const graph = useMemo(() => (comparison ? diffGraph(comparison) : null), [comparison]);
  const { fitView } = useReactFlow();
  // A comparison is read whole: a smaller window shows all of it again, not its top.
  useEffect(() => {
    const refit = (): void => void fitView(FIT);
    window.addEventListener("resize", refit);
    return () => window.removeEventListener("resize", refit);
  }, [fitView]);
  const labels = useMemo(
    () => (graph ? placeLabels(graph.nodes, graph.edges, measureLabel) : new Map()),
    [graph],
  );
  if (!comparison || !graph) return null;
  const edges = graph.edges.map((edge): ShownEdge | typeof edge => {
    const placed = labels.get(edge.id);
    return placed ? { ...edge, label: undefined, data: { ...edge.data!, placed } } : edge;
  });
  const counts = comparison.diff.states.reduce<Record<DiffKind, number>>(
    (all, s) => ({ ...all, [s.kind]: all[s.kind] + 1 }),
    { added: 0, removed: 0, changed: 0, same: 0 },
  );
  return (
    <EditableContext.Provider value={false}>
      <div className="canvas diff-canvas" data-testid="diff-canvas">
        <div className="diff-banner" data-testid="diff-banner">
          {comparison.before === comparison.after ? (
            <span>
              <strong>{sideName(comparison.after)}</strong> as it was saved. Read-only.
            </span>
          ) : (
            <span>
              Changes from <strong>{sideName(comparison.before)}</strong> to{" "}
              <strong>{sideName(comparison.after)}</strong>: {counts.added} added, {counts.changed}{" "}
              changed, {counts.removed} removed. Read-only.
            </span>
          )}
          <button
            type="button"
            className="secondary small"
            data-testid="diff-close"
            onClick={close}
          >
            Back to editing
          </button>
        </div>
        <div className="canvas-pane">
          <ReactFlow
            nodes={graph.nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            nodesConnectable={false}
            nodesDraggable={false}
            edgesFocusable={false}
            deleteKeyCode={null}
            onNodeClick={(_, node) => {
              if (node.type !== "lane") focus(node.id);
            }}
            fitView
            fitViewOptions={FIT}
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} color="#d5dbe5" />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        <div className="canvas-footer">
          <DiffLegend />
        </div>
      </div>
    </EditableContext.Provider>
  );
}
