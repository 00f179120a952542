import { Background, Controls, ReactFlow, useReactFlow, type NodeTypes } from "@xyflow/react";
import { useCallback, useEffect, useRef, type DragEvent } from "react";
import { STATE_TYPES, type StateType } from "../asl/types";
import { useGraph } from "../store";
import { Legend } from "./Legend";
import { StateNodeView } from "./StateNodeView";

const nodeTypes: NodeTypes = { state: StateNodeView };
export const PALETTE_MIME = "application/x-statecraft-state";

function isStateType(value: string): value is StateType {
  return (STATE_TYPES as readonly string[]).includes(value);
}

export function Canvas({ editable }: { editable: boolean }) {
  const nodes = useGraph((s) => s.nodes);
  const edges = useGraph((s) => s.edges);
  const onNodesChange = useGraph((s) => s.onNodesChange);
  const onEdgesChange = useGraph((s) => s.onEdgesChange);
  const onConnect = useGraph((s) => s.onConnect);
  const select = useGraph((s) => s.select);
  const { screenToFlowPosition, getViewport, fitView } = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const ids = nodes.map((n) => n.id).join("\u0000");

  // States that appear off-screen (typed in the code view, say) bring the whole graph into view.
  useEffect(() => {
    const box = canvasRef.current?.getBoundingClientRect();
    if (!box || nodes.length === 0) return;
    const { x, y, zoom } = getViewport();
    const hidden = nodes.some((node) => {
      const left = node.position.x * zoom + x;
      const top = node.position.y * zoom + y;
      return left < 0 || top < 0 || left > box.width - 40 || top > box.height - 40;
    });
    if (hidden) void fitView({ padding: 0.2, maxZoom: 1.1, duration: 200 });
    // Only a change in which states exist calls for this, not every drag or status update.
  }, [ids]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(PALETTE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!isStateType(type)) return;
      event.preventDefault();
      useGraph
        .getState()
        .addStateAt(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [screenToFlowPosition],
  );

  return (
    <div className="canvas" data-testid="canvas" ref={canvasRef}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={editable ? onEdgesChange : undefined}
        onConnect={editable ? onConnect : undefined}
        onNodeClick={(_, node) => select(node.id)}
        onPaneClick={() => select(null)}
        onDragOver={editable ? onDragOver : undefined}
        onDrop={editable ? onDrop : undefined}
        nodesConnectable={editable}
        edgesFocusable={editable}
        deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} color="#d5dbe5" />
        <Controls showInteractive={false} />
      </ReactFlow>
      <Legend />
      {nodes.length === 0 && (
        <div className="canvas-empty">
          <strong>This state machine has no states yet.</strong>
          {editable ? " Drag a state from the palette, or click one to add it." : ""}
        </div>
      )}
    </div>
  );
}
