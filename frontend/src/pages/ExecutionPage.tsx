import { useEffect } from "react";
import { Canvas } from "../components/Canvas";
import { EventTable } from "../components/EventTable";
import { ExecutionStatusPill } from "../components/ExecutionStatusPill";
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
  const machineVersion = useGraph((s) => s.version);

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
            </a>{" "}
            · started {when(execution.start_date)}
            {execution.stop_date ? ` · ended ${when(execution.stop_date)}` : ""}
          </span>
        </div>
      </header>
      {execution.version !== undefined && execution.version !== machineVersion && (
        <div className="notice notice-info" data-testid="version-notice">
          This run uses version {execution.version}; the graph shows the current version{" "}
          {machineVersion}, so some states may differ.
        </div>
      )}
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
            <StateDetails />
          </div>
        </aside>
      </div>
    </div>
  );
}
