// The machine's latest runs, kept up to date over the machine's WebSocket, each a link to its
// run view.
import { useEffect, useState } from "react";
import { api, executionPageUrl, followMachine } from "../api";
import { mergeRun } from "../asl/operator";
import type { ExecutionSummary } from "../asl/types";
import { messageOf } from "../store/derive";
import { ExecutionStatusPill } from "./ExecutionStatusPill";

function when(date: string | null): string {
  return date ? new Date(date).toLocaleString() : "—";
}

export function RecentRuns({ machine }: { machine: string }) {
  const [runs, setRuns] = useState<ExecutionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const fetchList = (): void => {
      api.executions(machine).then(
        ({ executions }) => {
          // Summaries that arrived while the list was on its way are newer than it.
          if (live)
            setRuns((known) =>
              (known ?? []).reduce((list, run) => mergeRun(list, run), executions),
            );
        },
        (e: unknown) => live && setError(messageOf(e)),
      );
    };
    // Listen first so a run that changes while the list loads is not missed.
    const stream = followMachine(
      machine,
      (summary) => setRuns((known) => mergeRun(known ?? [], summary)),
      fetchList,
    );
    fetchList();
    return () => {
      live = false;
      stream.close();
    };
  }, [machine]);

  if (error)
    return (
      <p className="field-error" role="alert">
        {error}
      </p>
    );
  if (runs === null) return <p className="muted">Loading runs…</p>;
  if (runs.length === 0)
    return (
      <p className="empty-panel" data-testid="no-runs">
        <strong>No runs yet.</strong> Start one from the Run tab.
      </p>
    );
  return (
    <ul className="recent-runs" data-testid="recent-runs">
      {runs.map((run) => (
        <li key={run.id} data-testid="recent-run" data-id={run.id} data-status={run.status}>
          <a href={executionPageUrl(run.id)} className="recent-run-name">
            {run.name}
          </a>
          <ExecutionStatusPill status={run.status} testId="recent-run-status" />
          <span className="muted small recent-run-date">
            {when(run.start_date)}
            {run.stop_date ? ` → ${new Date(run.stop_date).toLocaleTimeString()}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
