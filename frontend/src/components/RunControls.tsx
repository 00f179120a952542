// Stop a running run (after confirming, with an optional error and cause) or redrive one that
// failed, timed out or was aborted.
import { useState } from "react";
import { canRedrive, canStop } from "../asl/operator";
import { useGraph } from "../store";

export function RunControls() {
  const execution = useGraph((s) => s.execution);
  const operating = useGraph((s) => s.operating);
  const operationError = useGraph((s) => s.operationError);
  const stopRun = useGraph((s) => s.stopRun);
  const redriveRun = useGraph((s) => s.redriveRun);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState("");
  const [cause, setCause] = useState("");
  if (!execution) return null;

  const stop = async (): Promise<void> => {
    const reason: { error?: string; cause?: string } = {};
    if (error.trim()) reason.error = error.trim();
    if (cause.trim()) reason.cause = cause.trim();
    await stopRun(reason);
    setConfirming(false);
  };

  const stoppable = canStop(execution.status);
  return (
    <div className="run-controls" data-testid="run-controls">
      {(execution.redriveCount ?? 0) > 0 && (
        <span className="muted small" data-testid="redrive-count">
          redriven {execution.redriveCount}×
        </span>
      )}
      {stoppable && !confirming && (
        <button
          type="button"
          className="danger"
          data-testid="stop-button"
          onClick={() => setConfirming(true)}
        >
          Stop
        </button>
      )}
      {canRedrive(execution) && (
        <button
          type="button"
          className="primary"
          data-testid="redrive-button"
          disabled={operating}
          title="Run again from the state that did not succeed"
          onClick={() => void redriveRun()}
        >
          {operating ? "Redriving…" : "Redrive"}
        </button>
      )}
      {stoppable && confirming && (
        <form
          className="stop-confirm"
          data-testid="stop-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void stop();
          }}
        >
          <span className="small">Stop this run?</span>
          <input
            aria-label="Error (optional)"
            placeholder="Error (optional)"
            data-testid="stop-error"
            value={error}
            maxLength={256}
            onChange={(e) => setError(e.target.value)}
          />
          <input
            aria-label="Cause (optional)"
            placeholder="Cause (optional)"
            data-testid="stop-cause"
            value={cause}
            onChange={(e) => setCause(e.target.value)}
          />
          <button
            type="submit"
            className="danger"
            data-testid="stop-confirm-button"
            disabled={operating}
          >
            {operating ? "Stopping…" : "Stop run"}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </form>
      )}
      {operationError && (
        <span className="field-error" role="alert" data-testid="operation-error">
          {operationError}
        </span>
      )}
    </div>
  );
}
