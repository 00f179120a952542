// "From a past run": the machine's latest runs, and on a click the input one of them started
// with, or the input one state got in it. The sample input, the run form and the simulator
// offer it, so what a person tries is data the machine has really seen.
import { useEffect, useRef, useState } from "react";
import { api } from "../api";
import type { ExecutionSummary, JsonValue } from "../asl/types";
import { addressOf } from "../asl/scopes";
import { runToolsApi } from "../runToolsApi";
import { messageOf } from "../store/derive";
import { duration } from "./approvals/time";
import { ExecutionStatusPill } from "./ExecutionStatusPill";

const SHOWN = 10;

/** What `stateKey` got in the run (its last visit), or the run's own input; undefined if the
 * run never reached that state. */
async function inputOf(run: ExecutionSummary, stateKey?: string): Promise<JsonValue | undefined> {
  if (stateKey === undefined) return (await api.execution(run.id)).input as JsonValue;
  const state = (await runToolsApi.graphStatus(run.id)).states[stateKey];
  if (!state?.entered || typeof state.input !== "string") return undefined;
  return JSON.parse(state.input) as JsonValue;
}

export function PastRunPicker({
  machine,
  stateKey,
  onPick,
  testId = "past-run",
}: {
  machine: string;
  /** Take the input this state got; without it, the input the run started with. */
  stateKey?: string;
  onPick: (value: JsonValue) => void;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent): void => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", away);
    return () => document.removeEventListener("mousedown", away);
  }, [open]);
  return (
    <span className="past-run-picker" ref={box}>
      <button
        type="button"
        className="link small"
        data-testid={`${testId}-open`}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        From a past run…
      </button>
      {open && (
        <PastRuns
          machine={machine}
          stateKey={stateKey}
          testId={testId}
          onPick={(value) => {
            onPick(value);
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </span>
  );
}

function PastRuns({
  machine,
  stateKey,
  testId,
  onPick,
  onClose,
}: {
  machine: string;
  stateKey?: string;
  testId: string;
  onPick: (value: JsonValue) => void;
  onClose: () => void;
}) {
  const [runs, setRuns] = useState<ExecutionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [taking, setTaking] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    api.executions(machine).then(
      ({ executions }) => live && setRuns(executions.slice(0, SHOWN)),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [machine]);
  // The list opens below its button: bring it into view in a panel scrolled near its end.
  useEffect(() => {
    box.current?.scrollIntoView?.({ block: "nearest" });
  }, [runs]);

  const stateName = stateKey === undefined ? null : addressOf(stateKey).name;
  const take = async (run: ExecutionSummary): Promise<void> => {
    setTaking(run.id);
    setError(null);
    try {
      const value = await inputOf(run, stateKey);
      if (value === undefined) setError(`The run “${run.name}” never reached “${stateName}”.`);
      else onPick(value);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setTaking(null);
    }
  };
  return (
    <div
      className="path-popover past-run-popover"
      ref={box}
      role="dialog"
      aria-label="Take the input from a past run"
      data-testid={`${testId}-list`}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <p className="field-hint">
        {stateName === null
          ? "Take the input one of this machine’s runs started with:"
          : `Take the input “${stateName}” got in one of this machine’s runs (the last time it ran there):`}
      </p>
      {error && (
        <p className="field-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      {runs === null && !error && <p className="muted small">Loading runs…</p>}
      {runs?.length === 0 && (
        <p className="muted small" data-testid={`${testId}-none`}>
          This machine has no runs yet. Start one from the Run tab.
        </p>
      )}
      {runs && runs.length > 0 && (
        <ul className="past-runs">
          {runs.map((run) => (
            <li key={run.id}>
              <button
                type="button"
                className="past-run"
                data-testid={`${testId}-run`}
                data-id={run.id}
                disabled={taking !== null}
                title={`Use ${run.name}’s input`}
                onClick={() => void take(run)}
              >
                <span className="past-run-name">{run.name}</span>
                <ExecutionStatusPill status={run.status} testId={`${testId}-status`} />
                <span className="muted small past-run-when">
                  {taking === run.id
                    ? "Taking its input…"
                    : run.start_date
                      ? `${duration(Date.now() - Date.parse(run.start_date))} ago`
                      : ""}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
