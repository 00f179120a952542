import { useEffect } from "react";
import { ApprovalPanel } from "../components/ApprovalPanel";
import { Canvas } from "../components/Canvas";
import { EventTable } from "../components/EventTable";
import { ExecutionStatusPill } from "../components/ExecutionStatusPill";
import { RunControls } from "../components/RunControls";
import { StateDetails } from "../components/StateDetails";
import { useGraph } from "../store";
import { LoadState } from "./shared";

function when(date: string | null): string {
  return date ? new Date(date).toLocaleString() : "—";
}

export function ExecutionPage({ execution: id }: { execution: string }) {
  const loadExecution = useGraph((s) => s.loadExecution);
  const loading = useGraph((s) => s.loading);
  const loadError = useGraph((s) => s.loadError);
  const execution = useGraph((s) => s.execution);
  const runError = useGraph((s) => s.runError);

  useEffect(() => {
    void loadExecution(id);
  }, [loadExecution, id]);

  if (loading || loadError || !execution) return <LoadState error={loadError} what="this run" />;

  return (
    <div className="studio studio-execution" data-testid="execution-page">
      <header className="studio-header">
        <div className="studio-title">
          <h1>{execution.name}</h1>
          <ExecutionStatusPill status={execution.status} />
          <span className="muted small">
            of{" "}
            <a href={`/designer/${encodeURIComponent(execution.state_machine)}/`}>
              {execution.state_machine}
            </a>
            {execution.version !== undefined && (
              <span data-testid="run-version"> version {execution.version}</span>
            )}{" "}
            · started {when(execution.start_date)}
            {execution.stop_date ? ` · ended ${when(execution.stop_date)}` : ""}
          </span>
        </div>
        <RunControls />
      </header>
      {runError && (
        <div className="notice notice-error" role="alert">
          {runError}
        </div>
      )}
      <div className="studio-body">
        <div className="execution-main">
          <Canvas editable={false} />
          <section className="event-pane">
            <h2>Events</h2>
            <EventTable />
          </section>
        </div>
        <aside className="side-panel">
          <div className="tab-body">
            <ApprovalPanel />
            <StateDetails />
          </div>
        </aside>
      </div>
    </div>
  );
}
