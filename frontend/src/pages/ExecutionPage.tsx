import { useEffect, useState } from "react";
import { ApprovalPanel } from "../components/ApprovalPanel";
import { Canvas } from "../components/Canvas";
import { EventTable } from "../components/EventTable";
import { ExecutionStatusPill } from "../components/ExecutionStatusPill";
import { RunControls } from "../components/RunControls";
import { StateDetails } from "../components/StateDetails";
import { useGraph } from "../store";
import { HeatMapControls } from "../components/runTools/HeatMapControls";
import { RerunDialog } from "../components/runTools/RerunDialog";
import { RunLinks } from "../components/runTools/RunLinks";
import { TimeScrubber } from "../components/runTools/TimeScrubber";
import { useRunTools } from "../store/runTools";
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
  const openTools = useRunTools((s) => s.open);
  const closeTools = useRunTools((s) => s.close);
  // Folding the history gives the graph the whole height; the choice is remembered.
  const [eventsShown, setEventsShown] = useState(
    () => localStorage.getItem(EVENTS_FOLDED_KEY) !== "1",
  );
  const showEvents = (shown: boolean): void => {
    setEventsShown(shown);
    localStorage.setItem(EVENTS_FOLDED_KEY, shown ? "0" : "1");
  };
  const [rerunning, setRerunning] = useState(false);

  useEffect(() => {
    void loadExecution(id);
    // The canvas's colours come from the server: the page never needs the whole history.
    openTools(id);
    return closeTools;
  }, [loadExecution, openTools, closeTools, id]);

  if (loading || loadError || !execution) return <LoadState error={loadError} what="this run" />;

  return (
    <div className="studio studio-execution" data-testid="execution-page">
      <header className="studio-header">
        <div className="studio-title">
          <h1 title={execution.name}>{execution.name}</h1>
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
        <div className="studio-actions">
          <HeatMapControls />
          {execution.status !== "RUNNING" && mayRun(execution) && (
            <button
              type="button"
              className="secondary run-header-button"
              data-testid="rerun-open"
              title="Start a new run at one of this run's states, with its input"
              onClick={() => setRerunning(true)}
            >
              Rerun from here…
            </button>
          )}
          <RunControls />
        </div>
      </header>
      <RunLinks />
      <TimeScrubber />
      {runError && (
        <div className="notice notice-error" role="alert">
          {runError}
        </div>
      )}
      <div className="studio-body">
        <div className="execution-main">
          <Canvas editable={false} />
          <section className={`event-pane${eventsShown ? "" : " event-pane-folded"}`}>
            <h2>
              <button
                type="button"
                className="link event-pane-toggle"
                aria-expanded={eventsShown}
                data-testid="events-toggle"
                onClick={() => showEvents(!eventsShown)}
              >
                {eventsShown ? "▾" : "▸"} Events
              </button>
            </h2>
            {eventsShown && <EventTable />}
          </section>
        </div>
        <aside className="side-panel">
          <div className="tab-body">
            <ApprovalPanel />
            <StateDetails />
          </div>
        </aside>
      </div>
      {rerunning && <RerunDialog onClose={() => setRerunning(false)} />}
    </div>
  );
}

const EVENTS_FOLDED_KEY = "statecraft.run-view.events-folded";

/** Rerunning starts a run: those who may run the machine (operate) may. */
function mayRun(execution: object): boolean {
  const permissions = (execution as { permissions?: string[] }).permissions;
  return Array.isArray(permissions) && permissions.includes("operate");
}
