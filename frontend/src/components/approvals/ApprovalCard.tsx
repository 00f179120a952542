// One task waiting for a person: the prompt, the data to judge, how long it has waited and
// how long is left, and Approve / Reject with an optional comment. Raw JSON is there for experts.
import { useId, useState } from "react";
import { api, executionPageUrl } from "../../api";
import { approvalsApi } from "../../approvalsApi";
import type { PendingTask } from "../../asl/types";
import { JsonTree } from "./JsonTree";
import { duration, expiry, useNow } from "./time";

export type Answer = "approve" | "reject";

export function ApprovalCard({
  task,
  onAnswered,
  showRun = false,
  selected,
  onSelect,
}: {
  task: PendingTask;
  onAnswered: () => void;
  /** In the inbox: which machine and run the task belongs to. */
  showRun?: boolean;
  selected?: boolean;
  onSelect?: (selected: boolean) => void;
}) {
  const now = useNow();
  const commentId = useId();
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [raw, setRaw] = useState("{}");
  const mayAnswer = task.may_answer ?? Boolean(task.task_token);
  const isActivity = task.kind === "activity";

  const send = async (action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setRefusal(null);
    try {
      await action();
      onAnswered();
    } catch (error) {
      setRefusal(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const sendRaw = (): void => {
    let output: unknown;
    try {
      output = JSON.parse(raw);
    } catch (e) {
      setRefusal(`The output is not valid JSON: ${e instanceof Error ? e.message : e}`);
      return;
    }
    void send(() => api.approve(task.task_token, output));
  };

  const waited = now - Date.parse(task.created_at);
  const ends = expiry(task.deadline, task.heartbeat_deadline);
  const left = ends === null ? null : ends - now;
  const urgent = left !== null && left < 15 * 60 * 1000;

  return (
    <article
      className={`approval-card${selected ? " selected" : ""}`}
      data-testid="approval-card"
      data-state={task.state_name}
      data-execution={task.execution}
    >
      <header className="approval-card-head">
        {onSelect && mayAnswer && (
          <input
            type="checkbox"
            aria-label={`Select ${task.state_name}`}
            data-testid="approval-select"
            checked={Boolean(selected)}
            onChange={(e) => onSelect(e.target.checked)}
          />
        )}
        <div className="approval-card-title">
          <h3>
            {isActivity ? "Waiting for an activity worker at " : "Waiting for approval at "}
            <span data-testid="approval-state">{task.state_name}</span>
          </h3>
          {showRun && task.execution && (
            <p className="muted small">
              {task.state_machine} ·{" "}
              <a href={executionPageUrl(task.execution)} data-testid="approval-run-link">
                run {task.execution_name}
              </a>
            </p>
          )}
        </div>
        <p className="approval-times small">
          <span data-testid="approval-waited">waiting {duration(waited)}</span>
          {left !== null && (
            <span className={urgent ? "approval-urgent" : ""} data-testid="approval-left">
              {left > 0 ? `${duration(left)} left to answer` : "time is up"}
            </span>
          )}
        </p>
      </header>
      <p className="approval-prompt" data-testid="approval-prompt-text">
        {task.prompt || "This step waits for someone to approve or reject it."}
      </p>
      {task.approver_group && (
        <p className="muted small" data-testid="approval-group-note">
          Only members of the group <strong>{task.approver_group}</strong> may answer.
        </p>
      )}
      <h4>What to judge</h4>
      <JsonTree value={task.data ?? task.input} testId="approval-data" />
      {task.result_path === "$" && (
        <p className="approval-warning small" data-testid="approval-replaces-data">
          This step has no place set for its answer: answering replaces the run’s data with it.
        </p>
      )}
      {mayAnswer ? (
        <div className="approval-answer">
          <label htmlFor={commentId}>Comment (optional)</label>
          <textarea
            id={commentId}
            rows={2}
            data-testid="approval-comment"
            value={comment}
            maxLength={4000}
            onChange={(e) => setComment(e.target.value)}
            placeholder="Why you approve or reject; it is kept with the run"
          />
          {refusal && (
            <p className="field-error" role="alert" data-testid="approval-error">
              {refusal}
            </p>
          )}
          <div className="approval-actions">
            <button
              type="button"
              className="primary"
              data-testid="approve-button"
              disabled={busy}
              onClick={() => void send(() => approvalsApi.approve(task.task_token, comment))}
            >
              Approve
            </button>
            <button
              type="button"
              className="danger"
              data-testid="reject-button"
              disabled={busy}
              onClick={() => void send(() => approvalsApi.reject(task.task_token, comment))}
            >
              Reject
            </button>
          </div>
          <details className="approval-advanced">
            <summary>Answer with JSON (advanced)</summary>
            <textarea
              aria-label="Output (JSON)"
              data-testid="approval-output"
              rows={3}
              spellCheck={false}
              value={raw}
              onChange={(e) => setRaw(e.target.value)}
            />
            <button
              type="button"
              className="secondary"
              data-testid="approval-send-json"
              disabled={busy}
              onClick={sendRaw}
            >
              Send this output
            </button>
          </details>
        </div>
      ) : (
        <p className="muted small" data-testid="approval-not-yours">
          {task.task_token
            ? `Only members of the group ${task.approver_group} may answer this.`
            : "You may follow this run, but answering needs the operator role on it."}
        </p>
      )}
    </article>
  );
}
