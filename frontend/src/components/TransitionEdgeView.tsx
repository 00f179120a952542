// An arrow between two states: React Flow's smooth step, with its label where edgeLabels.ts
// placed it (clear of cards and other labels), shortened, and whole on hover.
import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  getSmoothStepPath,
  type EdgeProps,
} from "@xyflow/react";
import type { TransitionEdge } from "../asl/graph";
import { drawnAsCurve, LABEL_HEIGHT, type PlacedLabel } from "./edgeLabels";

export type ShownEdge = TransitionEdge & { data: { placed?: PlacedLabel } };

export function TransitionEdgeView(props: EdgeProps<ShownEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const ends = { sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition };
  const [path] = drawnAsCurve(sourceX, sourceY, targetX, targetY)
    ? getBezierPath(ends)
    : getSmoothStepPath(ends);
  const placed = props.data?.placed;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={props.markerEnd}
        style={props.style}
        interactionWidth={props.interactionWidth}
      />
      {placed && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label edge-label-${props.data?.transition.kind ?? "next"}${props.selected ? " selected" : ""}`}
            data-testid="edge-label"
            title={placed.full}
            style={{
              width: placed.width,
              height: LABEL_HEIGHT,
              transform: `translate(-50%, -50%) translate(${placed.x}px, ${placed.y}px)`,
            }}
          >
            {placed.text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
