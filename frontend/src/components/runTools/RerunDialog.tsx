// Rerun from here: choose a top-level state of a finished run, see (and edit) the input it
// received in that run, and start a new run of the same version (or the latest) there.
import { useEffect, useMemo, useRef, useState } from "react";
import { statesOf } from "../../asl/definition";
import type { JsonValue } from "../../asl/types";
import { runToolsApi } from "../../runToolsApi";
import { useGraph } from "../../store";
import { useRunTools } from "../../store/runTools";
import { ValueEditor } from "../ValueEditor";
import { VisitPicker } from "./VisitPicker";

function parsedInput(text: string | null | undefined): JsonValue {
  if (!text) return {};
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return {};
  }
}

export function RerunDialog({ onClose }: { onClose: () => void }) {
  const execution = useGraph((s) => s.execution);
  const definition = useGraph((s) => s.definition);
  const selected = useGraph((s) => s.selected);
  const live = useRunTools((s) => s.live);
  const names = useMemo(() => Object.keys(statesOf(definition)), [definition]);
  const reached = names.filter((n) => (live?.states[n]?.entered ?? 0) > 0);
  const first = selected && reached.includes(selected) ? selected : (reached[0] ?? "");
  const [state, setState] = useState(first);
  const [input, setInput] = useState<JsonValue>(() => parsedInput(live?.states[first]?.input));
  // Bumped when a visit's input replaces the one shown, so the editor starts from it.
  const [taken, setTaken] = useState(0);
  const [version, setVersion] = useState<"same" | "latest">("same");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>("select")?.focus();
  }, []);

  if (!execution) return null;
  const choose = (name: string): void => {
    setState(name);
    setInput(parsedInput(live?.states[name]?.input));
  };
  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const rerun = await runToolsApi.rerun(execution.id, { state, input, version });
      window.location.assign(`/executions/${rerun.id}/`);
    } catch (e) {
      setBusy(false);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div
        ref={dialog}
        className="dialog rerun-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="rerun-title"
        data-testid="rerun-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape") onClose();
        }}
      >
        <h2 id="rerun-title">Rerun from a state</h2>
        <p className="muted small">
          A new run of <strong>{execution.state_machine}</strong> starts at the state you choose,
          with the input below. The states before it do not run again. This run stays as it is; the
          two link to each other.
        </p>
        <label className="field">
          <span className="label">Start at</span>
          <select value={state} data-testid="rerun-state" onChange={(e) => choose(e.target.value)}>
            {names.map((name) => (
              <option key={name} value={name} disabled={!reached.includes(name)}>
                {name}
                {reached.includes(name) ? "" : " (did not run)"}
              </option>
            ))}
          </select>
        </label>
        {(live?.states[state]?.entered ?? 0) > 1 && (
          <VisitPicker
            executionId={execution.id}
            state={state}
            onInput={(value) => {
              setInput(value);
              setTaken((n) => n + 1);
            }}
          />
        )}
        <div className="field">
          <span className="label">
            Input for {state || "the state"}{" "}
            <span className="muted small">(what it received in this run; change it freely)</span>
          </span>
          <div className="rerun-input" data-testid="rerun-input">
            <ValueEditor
              key={`${state}:${taken}`}
              value={input}
              mode="literal"
              rootKinds={["object", "list", "text", "number", "boolean", "null"]}
              testId="rerun-input-editor"
              onChange={(value) => setInput(value ?? {})}
            />
          </div>
        </div>
        <fieldset className="field rerun-version">
          <legend className="label">Machine version</legend>
          <label>
            <input
              type="radio"
              name="rerun-version"
              checked={version === "same"}
              onChange={() => setVersion("same")}
            />{" "}
            The one this run used (version {execution.version})
          </label>
          <label>
            <input
              type="radio"
              name="rerun-version"
              data-testid="rerun-latest"
              checked={version === "latest"}
              onChange={() => setVersion("latest")}
            />{" "}
            The latest version
          </label>
        </fieldset>
        {error && (
          <p className="field-error" role="alert" data-testid="rerun-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || !state}
            data-testid="rerun-start"
            onClick={() => void start()}
          >
            Start the new run at {state || "…"}
          </button>
        </div>
      </div>
    </div>
  );
}
