// What a run waits for from a person: each callback or activity task it is blocked on, with its
// input and the means to approve it (with an output) or reject it (with an error and cause).
import { useState } from "react";
import { approvalsOf } from "../asl/operator";
import type { PendingTask } from "../asl/types";
import { useGraph } from "../store";

function Approval({ task }: { task: PendingTask }) {
  const operating = useGraph((s) => s.operating);
  const answerTask = useGraph((s) => s.answerTask);
  const [output, setOutput] = useState("{}");
  const [outputError, setOutputError] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [error, setError] = useState("Rejected");
  const [cause, setCause] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const answer = async (
    reply: { output: unknown } | { error: string; cause: string },
  ): Promise<void> => setRefusal(await answerTask(task.task_token, reply));

  const approve = (): void => {
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch (e) {
      setOutputError(`The output is not valid JSON: ${e instanceof Error ? e.message : e}`);
      return;
    }
    setOutputError(null);
    void answer({ output: value });
  };

  return (
    <section className="approval" data-testid="approval-panel" data-state={task.state_name}>
      <h2>
        Waiting for {task.kind === "activity" ? "an activity worker" : "approval"} at{" "}
        <span data-testid="approval-state">{task.state_name}</span>
      </h2>
      <p className="muted small" title={task.resource}>
        {task.resource}
      </p>
      <h3>Task input</h3>
      <pre data-testid="approval-input">{JSON.stringify(task.input, null, 2)}</pre>
      <label htmlFor={`approval-output-${task.task_token}`}>Output (JSON)</label>
      <textarea
        id={`approval-output-${task.task_token}`}
        data-testid="approval-output"
        rows={3}
        spellCheck={false}
        value={output}
        aria-invalid={outputError !== null}
        onChange={(e) => setOutput(e.target.value)}
      />
      {outputError && (
        <p className="field-error" role="alert" data-testid="approval-output-error">
          {outputError}
        </p>
      )}
      {refusal && (
        <p className="field-error" role="alert" data-testid="approval-error">
          {refusal}
        </p>
      )}
      {rejecting ? (
        <div className="reject-form">
          <label htmlFor={`reject-error-${task.task_token}`}>Error</label>
          <input
            id={`reject-error-${task.task_token}`}
            data-testid="reject-error"
            value={error}
            maxLength={256}
            onChange={(e) => setError(e.target.value)}
          />
          <label htmlFor={`reject-cause-${task.task_token}`}>Cause</label>
          <input
            id={`reject-cause-${task.task_token}`}
            data-testid="reject-cause"
            value={cause}
            onChange={(e) => setCause(e.target.value)}
          />
          <div className="approval-actions">
            <button
              type="button"
              className="danger"
              data-testid="reject-confirm-button"
              disabled={operating}
              onClick={() => void answer({ error, cause })}
            >
              Send rejection
            </button>
            <button type="button" className="secondary" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="approval-actions">
          <button
            type="button"
            className="primary"
            data-testid="approve-button"
            disabled={operating}
            onClick={approve}
          >
            Approve
          </button>
          <button
            type="button"
            className="danger"
            data-testid="reject-button"
            disabled={operating}
            onClick={() => setRejecting(true)}
          >
            Reject
          </button>
        </div>
      )}
    </section>
  );
}

export function ApprovalPanel() {
  const pendingTasks = useGraph((s) => s.pendingTasks);
  const running = useGraph((s) => s.execution?.status === "RUNNING");
  const approvals = running ? approvalsOf(pendingTasks) : [];
  if (approvals.length === 0) return null;
  return (
    <div className="approvals">
      {approvals.map((task) => (
        <Approval key={task.task_token} task={task} />
      ))}
    </div>
  );
}
