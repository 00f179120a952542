// Starts a run of the saved machine and shows how it is going.
import "./RunPanel.css";
import { useState } from "react";
import { executionPageUrl } from "../api";
import { isDirty, useGraph } from "../store";
import { ApprovalPanel } from "./ApprovalPanel";
import { ExecutionStatusPill } from "./ExecutionStatusPill";
import { RunInput } from "./RunInput";

export function RunPanel() {
  const [input, setInput] = useState("{}");
  const [name, setName] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const starting = useGraph((s) => s.starting);
  const execution = useGraph((s) => s.execution);
  const runError = useGraph((s) => s.runError);
  const dirty = useGraph(isDirty);
  const startRun = useGraph((s) => s.startRun);

  const run = (): void => {
    let value: unknown;
    try {
      value = JSON.parse(input);
    } catch (error) {
      setInputError(
        `The input is not valid JSON: ${error instanceof Error ? error.message : error}`,
      );
      return;
    }
    setInputError(null);
    void startRun(value, name.trim() || undefined);
  };

  return (
    <div className="run-panel">
      <RunInput text={input} onText={setInput} onRun={run} invalid={inputError !== null} />
      <label htmlFor="run-name">Name (optional)</label>
      <input
        id="run-name"
        data-testid="run-name"
        className="run-name"
        value={name}
        maxLength={80}
        placeholder="order-42"
        onChange={(e) => setName(e.target.value)}
      />
      <p className="field-hint">Lists show it; unique per machine. Left empty, one is made up.</p>
      {inputError && (
        <p className="field-error" data-testid="input-error" role="alert">
          {inputError}
        </p>
      )}
      {dirty && (
        <p className="field-hint">A run uses the last saved version; save to run your changes.</p>
      )}
      <button
        type="button"
        className="primary"
        data-testid="run-button"
        onClick={run}
        disabled={starting}
      >
        {starting ? "Starting…" : "Run"}
      </button>
      {runError && (
        <p className="field-error" role="alert" data-testid="run-error">
          {runError}
        </p>
      )}
      {execution && (
        <div className="run-summary" data-testid="run-summary">
          <div>
            <ExecutionStatusPill status={execution.status} />
            <a
              href={executionPageUrl(execution.id)}
              data-testid="execution-link"
              target="_blank"
              rel="noreferrer"
            >
              Open the run view
            </a>
          </div>
          <div className="muted small">{execution.name}</div>
          {execution.error && (
            <p className="field-error">
              {execution.error}
              {execution.cause ? `: ${execution.cause}` : ""}
            </p>
          )}
        </div>
      )}
      {execution && (
        <div className="run-panel-approvals">
          <ApprovalPanel />
        </div>
      )}
    </div>
  );
}
