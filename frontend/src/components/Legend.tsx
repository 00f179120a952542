import type { StateStatus } from "../asl/types";

export const STATUS_LABELS: Record<StateStatus, string> = {
  idle: "Not run",
  running: "Running",
  waiting: "Waiting for approval",
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Failed, caught",
};

const ORDER: StateStatus[] = ["idle", "running", "waiting", "succeeded", "caught", "failed"];

/** The colours of a run, in a strip under the canvas: never over a state, at any size. */
export function Legend() {
  return (
    <div className="canvas-footer">
      <ul className="legend" aria-label="State colours">
        {ORDER.map((status) => (
          <li key={status}>
            <span className={`legend-swatch status-${status}`} />
            {STATUS_LABELS[status]}
          </li>
        ))}
      </ul>
      <span
        className="canvas-hint"
        title="Drag the background to move around, scroll to zoom; on a big machine the small map shows all of it."
      >
        Drag to move · scroll to zoom
      </span>
    </div>
  );
}
