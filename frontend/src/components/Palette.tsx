import { useReactFlow } from "@xyflow/react";
import type { DragEvent } from "react";
import type { PaletteItem } from "../asl/approval";
import { STATE_TYPES } from "../asl/types";
import { useGraph } from "../store";
import { PALETTE_MIME } from "./Canvas";

const HINTS: Record<PaletteItem, string> = {
  Pass: "Passes or reshapes data",
  Task: "Does a unit of work",
  Approval: "Waits for a person to approve",
  Choice: "Branches on a condition",
  Wait: "Pauses for a while",
  Succeed: "Ends the run successfully",
  Fail: "Ends the run with an error",
  Parallel: "Runs branches at once",
  Map: "Repeats steps per item",
};

// The Approval is a Task made ready to wait for a person; it sits beside the Task.
const ITEMS: PaletteItem[] = STATE_TYPES.flatMap((type): PaletteItem[] =>
  type === "Task" ? [type, "Approval"] : [type],
);

export function Palette() {
  const { screenToFlowPosition } = useReactFlow();

  const add = (type: PaletteItem): void => {
    // A clicked state appears in the middle of what the user is looking at.
    const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
    const centre = canvas
      ? screenToFlowPosition({
          x: canvas.left + canvas.width / 2,
          y: canvas.top + canvas.height / 2,
        })
      : null;
    useGraph.getState().addStateAt(type, centre);
  };

  const startDrag = (event: DragEvent, type: PaletteItem): void => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = "copy";
  };

  return (
    <aside className="palette" aria-label="Add a state">
      <h2>Add a state</h2>
      <p className="muted small">Click, or drag onto the canvas.</p>
      {ITEMS.map((type) => (
        <button
          key={type}
          type="button"
          className={`palette-item type-${type.toLowerCase()}`}
          draggable
          onDragStart={(event) => startDrag(event, type)}
          onClick={() => add(type)}
          data-testid={`palette-${type}`}
        >
          <span className="palette-name">{type}</span>
          <span className="palette-hint">{HINTS[type]}</span>
        </button>
      ))}
    </aside>
  );
}
