import type { ExecutionStatus } from "../asl/types";

const LABELS: Record<ExecutionStatus, string> = {
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  TIMED_OUT: "Timed out",
  ABORTED: "Aborted",
};

export function ExecutionStatusPill({
  status,
  testId = "execution-status",
}: {
  status: ExecutionStatus;
  testId?: string;
}) {
  return (
    <span className={`pill pill-${status.toLowerCase()}`} data-testid={testId} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
