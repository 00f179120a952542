import type { PaletteItem } from "../asl/approval";
import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type EdgeTypes,
  type NodeTypes,
  type OnNodeDrag,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { LANE_HEADER, LANE_PAD, NODE_HEIGHT, NODE_WIDTH, type StateNode } from "../asl/graph";
import { addressOf, isWithin, mapProcessorPointer, stateAt } from "../asl/scopes";
import { STATE_TYPES, type Layout, type Position } from "../asl/types";
import { importDefinitionFile } from "../designer/importFile";
import { useGraph } from "../store";
import { ConfirmDialog } from "./ConfirmDialog";
import { ContainerNodeView, EditableContext, LaneNodeView } from "./ContainerNodeView";
import { Legend } from "./Legend";
import { StateNodeView } from "./StateNodeView";
import { measureLabel, placeLabels } from "./edgeLabels";
import { TransitionEdgeView, type ShownEdge } from "./TransitionEdgeView";
import "./Canvas.css";

const nodeTypes: NodeTypes = {
  state: StateNodeView,
  container: ContainerNodeView,
  lane: LaneNodeView,
};
// Every arrow is a smooth step whose label is placed clear of cards and other labels.
const edgeTypes: EdgeTypes = { smoothstep: TransitionEdgeView };
export const PALETTE_MIME = "application/x-statecraft-state";
/** Below this zoom a card's name is under 11 px: a big machine is shown from its start instead. */
export const READABLE_ZOOM = 0.8;
const MAX_FIT_ZOOM = 1.1;
/** Machines with more nodes than this get a minimap to find their way around. */
const MAP_ABOVE = 15;
const MAP_WIDTH = 160;
/** Machines with more nodes than this draw only the cards on screen. */
const CULL_ABOVE = 120;
const FIT_PADDING = 40;

/** Where a drop lands: the scope, the box drawn for it (none for the main flow), the point in it. */
interface DropTarget {
  scope: string;
  box: string | null;
  centre: Position;
}

function isPaletteItem(value: string): value is PaletteItem {
  return value === "Approval" || (STATE_TYPES as readonly string[]).includes(value);
}

export function Canvas({ editable }: { editable: boolean }) {
  const nodes = useGraph((s) => s.nodes);
  const edges = useGraph((s) => s.edges);
  const onNodesChange = useGraph((s) => s.onNodesChange);
  const onEdgesChange = useGraph((s) => s.onEdgesChange);
  const onConnect = useGraph((s) => s.onConnect);
  const select = useGraph((s) => s.select);
  const { screenToFlowPosition, getViewport, setViewport, setCenter, getInternalNode } =
    useReactFlow<StateNode>();
  const canvasRef = useRef<HTMLDivElement>(null);
  const ids = nodes.map((n) => n.id).join("\u0000");
  const labels = useMemo(() => placeLabels(nodes, edges, measureLabel), [nodes, edges]);
  // Only labelled arrows change: the others keep their identity and are not drawn again.
  const shownEdges = useMemo(
    () =>
      edges.map((edge): ShownEdge | typeof edge => {
        const placed = labels.get(edge.id);
        return placed ? { ...edge, label: undefined, data: { ...edge.data!, placed } } : edge;
      }),
    [edges, labels],
  );

  // A state that appears off-screen (added, or typed in the code view) is brought into view,
  // at the zoom the person chose; a rename or an edit elsewhere leaves the view alone.
  const known = useRef<Set<string> | null>(null);
  useEffect(() => {
    const before = known.current;
    known.current = new Set(nodes.map((n) => n.id));
    const box = canvasRef.current?.getBoundingClientRect();
    if (!box || before === null || before.size === 0) return;
    const added = nodes.filter((n) => !before.has(n.id));
    const renamed = added.length === 1 && known.current.size === before.size;
    if (added.length === 0 || renamed) return;
    const { x, y, zoom } = getViewport();
    const shown = (node: StateNode): boolean => {
      const at = getInternalNode(node.id)?.internals.positionAbsolute ?? node.position;
      const left = at.x * zoom + x;
      const top = at.y * zoom + y;
      return left >= 0 && top >= 0 && left <= box.width - 40 && top <= box.height - 40;
    };
    const first = added.find((node) => !shown(node));
    if (!first) return;
    const at = getInternalNode(first.id)?.internals.positionAbsolute ?? first.position;
    void setCenter(
      at.x + (first.width ?? NODE_WIDTH) / 2,
      at.y + (first.height ?? NODE_HEIGHT) / 2,
      { zoom: Math.max(zoom, READABLE_ZOOM), duration: 200 },
    );
    // Only a change in which states exist calls for this, not every drag or status update.
  }, [ids]);

  /**
   * Fits the whole machine when that keeps the text readable; otherwise zooms to the readable
   * floor and shows the top of the machine, where the run starts, centred across.
   */
  function showReadably(duration = 0): void {
    const box = canvasRef.current?.getBoundingClientRect();
    const top = useGraph.getState().nodes.filter((n) => !n.parentId);
    if (!box || top.length === 0) return;
    const left = Math.min(...top.map((n) => n.position.x));
    const upper = Math.min(...top.map((n) => n.position.y));
    const right = Math.max(...top.map((n) => n.position.x + (n.width ?? NODE_WIDTH)));
    const lower = Math.max(...top.map((n) => n.position.y + (n.height ?? NODE_HEIGHT)));
    // The minimap sits in the bottom-right corner: the machine is fitted beside it, not under.
    const mapped = useGraph.getState().nodes.length > MAP_ABOVE;
    const width = box.width - (mapped ? MAP_WIDTH + FIT_PADDING : 0);
    const fit = Math.min(
      (width - 2 * FIT_PADDING) / (right - left),
      (box.height - 2 * FIT_PADDING) / (lower - upper),
    );
    const zoom = Math.max(READABLE_ZOOM, Math.min(MAX_FIT_ZOOM, fit));
    if (fit >= READABLE_ZOOM) {
      const x = (width - (right - left) * zoom) / 2 - left * zoom;
      const y = (box.height - (lower - upper) * zoom) / 2 - upper * zoom;
      void setViewport({ x, y, zoom }, { duration });
      return;
    }
    // Too big to fit readably: the start, where a run begins, at the top and centred across
    // if the machine is that narrow, else with the start state in the middle.
    const start = top.find((n) => n.data.isStart) ?? top[0]!;
    const middle = start.position.x + (start.width ?? NODE_WIDTH) / 2;
    const narrow = (right - left) * zoom <= width - 2 * FIT_PADDING;
    const x = narrow
      ? (width - (right - left) * zoom) / 2 - left * zoom
      : width / 2 - middle * zoom;
    void setViewport({ x, y: FIT_PADDING - upper * zoom, zoom }, { duration });
  }

  // A JSON or YAML file dropped on the canvas is imported into the draft.
  const [fileOver, setFileOver] = useState(false);
  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes("Files")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      setFileOver(true);
    } else if (event.dataTransfer.types.includes(PALETTE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const file = event.dataTransfer.files[0];
      if (file) {
        event.preventDefault();
        setFileOver(false);
        void importDefinitionFile(file);
        return;
      }
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!isPaletteItem(type)) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const target = dropTarget(point);
      useGraph.getState().addStateAt(type, target?.centre ?? point, target?.scope ?? "");
    },
    [screenToFlowPosition],
  );

  // On a read-only canvas a dropped file is taken from the browser, which would otherwise
  // leave the page to show it, and read by nobody.
  const onFileOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "none";
  }, []);
  const onFileDrop = useCallback((event: DragEvent) => {
    if (event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    useGraph.setState({
      notice: { kind: "error", text: "Nothing imported: this canvas is read-only." },
    });
  }, []);

  /**
   * The innermost Map or Parallel branch under a point, and the point relative to it; boxes of
   * ``dragged`` (a container being moved) do not count.
   */
  const dropTarget = (point: Position, dragged?: string): DropTarget | null => {
    let found: DropTarget | null = null;
    // Parents come before their children, so the last box that holds the point is innermost.
    const nodes = useGraph.getState().nodes;
    for (const node of nodes) {
      if (dragged !== undefined && isWithin(node.id, dragged)) continue;
      const isMap = node.type === "container" && node.data.stateType === "Map";
      const isParallel = node.type === "container" && node.data.stateType === "Parallel";
      if (!isMap && !isParallel && node.type !== "lane") continue;
      const origin = getInternalNode(node.id)?.internals.positionAbsolute;
      if (!origin) continue;
      const inside =
        point.x >= origin.x &&
        point.y >= origin.y &&
        point.x <= origin.x + (node.width ?? 0) &&
        point.y <= origin.y + (node.height ?? 0);
      if (!inside) continue;
      const centre = { x: point.x - origin.x, y: point.y - origin.y };
      if (isParallel) {
        // On the title bar (or between lanes): the lane nearest across, below its title.
        const lanes = nodes.filter((n) => n.type === "lane" && n.parentId === node.id);
        const across = (n: StateNode) => Math.abs(n.position.x + (n.width ?? 0) / 2 - centre.x);
        const lane = [...lanes].sort((a, b) => across(a) - across(b))[0];
        if (lane) {
          found = {
            scope: lane.id,
            box: lane.id,
            centre: { x: centre.x - lane.position.x, y: LANE_HEADER + LANE_PAD + NODE_HEIGHT / 2 },
          };
        }
      } else if (node.type === "lane") {
        found = { scope: node.id, box: node.id, centre };
      } else {
        const state = stateAt(useGraph.getState().definition, node.id) ?? {};
        found = { scope: mapProcessorPointer(state, node.id), box: node.id, centre };
      }
    }
    return found;
  };

  // While a card is dragged its boxes keep their size, so it can leave by any side; the box
  // it would land in is lit. Where the drag started is kept, for when no move is made.
  const beforeDrag = useRef<Layout | null>(null);
  const dragging = useRef(false);
  const [landing, setLanding] = useState<string | null>(null);
  const targetOf = (event: MouseEvent | TouchEvent, node: StateNode): DropTarget | null => {
    const pointer = "changedTouches" in event ? event.changedTouches[0] : event;
    if (!pointer) return null;
    const point = screenToFlowPosition({ x: pointer.clientX, y: pointer.clientY });
    return dropTarget(point, node.id) ?? { scope: "", box: null, centre: point };
  };
  const onNodeDrag: OnNodeDrag<StateNode> = (event, node) => {
    const target = node.type === "lane" ? null : targetOf(event, node);
    const moving = target !== null && target.scope !== addressOf(node.id).scope;
    setLanding(moving ? target.box : null);
  };
  const onNodeDragStop: OnNodeDrag<StateNode> = (event, node, dragged) => {
    const before = beforeDrag.current ?? undefined;
    beforeDrag.current = null;
    dragging.current = false;
    setLanding(null);
    const target = node.type === "lane" ? null : targetOf(event, node);
    if (!target || target.scope === addressOf(node.id).scope) {
      useGraph.getState().settleDrag(dragged);
      return;
    }
    const at = {
      x: target.centre.x - (node.width ?? NODE_WIDTH) / 2,
      y: target.centre.y - (node.height ?? NODE_HEIGHT) / 2,
    };
    const keys = [
      node.id,
      ...dragged.filter((n) => n.id !== node.id && n.type !== "lane").map((n) => n.id),
    ];
    useGraph.getState().moveStates(keys, target.scope, at, before);
  };
  const shownNodes = useMemo(
    () =>
      landing === null
        ? nodes
        : nodes.map((n) => (n.id === landing ? { ...n, className: "drop-target" } : n)),
    [nodes, landing],
  );

  return (
    <EditableContext.Provider value={editable}>
      <div className="canvas" data-testid="canvas">
        <div className="canvas-pane" ref={canvasRef}>
          <ReactFlow
            nodes={shownNodes}
            edges={shownEdges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={(changes) => onNodesChange(changes, dragging.current)}
            onEdgesChange={editable ? onEdgesChange : undefined}
            onConnect={editable ? onConnect : undefined}
            onNodeDragStart={() => {
              beforeDrag.current = useGraph.getState().positions;
              dragging.current = true;
            }}
            onNodeDrag={editable ? onNodeDrag : undefined}
            onNodeDragStop={editable ? onNodeDragStop : undefined}
            onNodeClick={(_, node) => {
              if (node.type !== "lane") select(node.id);
            }}
            onBeforeDelete={async ({ nodes: doomed }) => {
              // Deleting states goes through the store, which asks first when others lead to them.
              const states = doomed.filter((n) => n.type !== "lane").map((n) => n.id);
              if (states.length) {
                useGraph.getState().requestDelete(states);
                return false;
              }
              return true;
            }}
            onPaneClick={() => select(null)}
            onDragOver={editable ? onDragOver : onFileOver}
            onDrop={editable ? onDrop : onFileDrop}
            onDragLeave={() => setFileOver(false)}
            // Shift-click adds to the selection (as do Ctrl and Cmd); Shift-drag draws a box.
            multiSelectionKeyCode={["Shift", "Control", "Meta"]}
            nodesConnectable={editable}
            edgesFocusable={editable}
            deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
            onInit={() => showReadably()}
            minZoom={0.2}
            // A big machine draws only what is on screen, so an edit costs what shows, not
            // hundreds of cards; a small one keeps every card in the page.
            onlyRenderVisibleElements={nodes.length > CULL_ABOVE}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} color="#d5dbe5" />
            <Controls showInteractive={false}>
              <ControlButton
                onClick={() => showReadably(200)}
                title="Show the machine at a size you can read"
                aria-label="Show the machine at a size you can read"
              >
                ⤢
              </ControlButton>
            </Controls>
            {/* Only a machine too big to take in at once needs a map; on a small one it would
              only cover cards. */}
            {nodes.length > MAP_ABOVE && (
              <MiniMap
                pannable
                zoomable
                ariaLabel="The whole machine: drag here to move around it"
                nodeColor={(node) => (node.type === "state" ? "#9aa6bb" : "rgba(154,166,187,0.25)")}
                nodeStrokeColor="#7c879b"
                maskColor="rgba(246,248,251,0.7)"
                style={{ width: MAP_WIDTH, height: 110 }}
              />
            )}
          </ReactFlow>
          {nodes.length === 0 && (
            <div className="canvas-empty">
              <strong>This state machine has no states yet.</strong>
              {editable ? " Drag a state from the palette, or click one to add it." : ""}
            </div>
          )}
          {editable && fileOver && (
            <div className="canvas-drop-hint">
              <span>Drop a JSON or YAML file to import it into the draft</span>
            </div>
          )}
          {editable && <ConfirmDialog />}
        </div>
        <Legend />
      </div>
    </EditableContext.Provider>
  );
}
