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

export function Legend() {
  return (
    <ul className="legend" aria-label="State colours">
      {ORDER.map((status) => (
        <li key={status}>
          <span className={`legend-swatch status-${status}`} />
          {STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
}
