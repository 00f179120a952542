import { useCallback, useEffect, useState } from "react";
import { isWarning } from "../asl/types";
import { HeatMapControls } from "../components/runTools/HeatMapControls";
import { Canvas } from "../components/Canvas";
import { DraftBar, DraftStatus } from "../components/DraftBar";
import { CodeView } from "../components/CodeView";
import { Inspector } from "../components/Inspector";
import { Palette } from "../components/Palette";
import { ProblemsList } from "../components/ProblemsList";
import { RecentRuns } from "../components/RecentRuns";
import { RunPanel } from "../components/RunPanel";
import { SimulatorPanel } from "../designer/simulator/SimulatorPanel";
import { DiffCanvas } from "../designer/versions/DiffCanvas";
import { SaveComment, saveWithComment } from "../designer/versions/SaveComment";
import { VersionsPanel } from "../designer/versions/VersionsPanel";
import { useVersions } from "../designer/versions/versionsStore";
import { EditMenu, FileMenu } from "../designer/DesignerMenus";
import { ShortcutsHelp } from "../designer/ShortcutsHelp";
import { useDesignerShortcuts } from "../designer/shortcuts";
import { VIEW_ONLY } from "../designer/clipboard";
import { canEdit, isDirty, useGraph } from "../store";
import { startDrafts } from "../store/autosave";
import { useDraft } from "../store/draftState";
import { LoadState, NoticeBar } from "./shared";

type Tab = "run" | "runs" | "state" | "code" | "problems" | "versions" | "simulate";

export function DesignerPage({ machine }: { machine: string }) {
  const loadMachine = useGraph((s) => s.loadMachine);
  const loading = useGraph((s) => s.loading);
  const loadError = useGraph((s) => s.loadError);
  const version = useGraph((s) => s.version);
  const saving = useGraph((s) => s.saving);
  const autoLayout = useGraph((s) => s.autoLayout);
  const selected = useGraph((s) => s.selected);
  const problemCount = useGraph((s) => s.diagnostics.length);
  const warningCount = useGraph((s) => s.diagnostics.filter(isWarning).length);
  const errorCount = problemCount - warningCount;
  const dirty = useGraph(isDirty);
  const canUndo = useGraph((s) => s.past.length > 0);
  const canRedo = useGraph((s) => s.future.length > 0);
  const undo = useGraph((s) => s.undo);
  const redo = useGraph((s) => s.redo);
  const [tab, setTab] = useState<Tab>("run");
  const comparing = useVersions((s) => s.comparison !== null);
  // A viewer may look and copy, not paste or import: the server would refuse the save anyway.
  const editable = useGraph(canEdit);
  const [helpOpen, setHelpOpen] = useState(false);
  const toggleHelp = useCallback((open?: boolean) => setHelpOpen((was) => open ?? !was), []);
  // A comparison of versions is read-only: no pasting into it.
  useDesignerShortcuts(comparing ? "off" : editable ? "all" : "copy", toggleHelp);

  useEffect(() => {
    // The run under way is in the address (?run=ID): a reload shows it again.
    const run = new URLSearchParams(window.location.search).get("run");
    void loadMachine(machine).then(() => {
      if (run) void useGraph.getState().resumeRun(run);
    });
  }, [loadMachine, machine]);

  // Work in progress goes to the server's draft as it is made.
  useEffect(() => startDrafts(machine), [machine]);

  const runId = useGraph((s) => s.execution?.id);
  useEffect(() => {
    if (runId) window.history.replaceState(null, "", `?run=${encodeURIComponent(runId)}`);
  }, [runId]);

  // Picking a state on the canvas opens its form (the simulator follows the pick instead).
  useEffect(() => {
    if (selected) setTab((shown) => (shown === "simulate" ? shown : "state"));
  }, [selected]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        // Blurring commits the field being typed in, so the save includes it.
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        void saveWithComment();
        return;
      }
      // Inside a text box, Ctrl+Z belongs to the box's own undo.
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select")) return;
      if (key === "z" && !event.shiftKey) useGraph.getState().undo();
      else if (key === "y" || (key === "z" && event.shiftKey)) useGraph.getState().redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      // Unsaved changes are safe in the draft; only edits not yet sent to it could be lost.
      const status = useDraft.getState().status;
      if (status === "pending" || status === "saving") event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  if (loading || loadError)
    return <LoadState error={loadError} what={`the state machine ${machine}`} />;

  const tabs: { id: Tab; label: string }[] = [
    { id: "run", label: "Run" },
    { id: "runs", label: "Runs" },
    { id: "state", label: "State" },
    { id: "code", label: "Code" },
    { id: "problems", label: problemCount ? `Problems (${problemCount})` : "Problems" },
    { id: "versions", label: "Versions" },
    { id: "simulate", label: "Simulate" },
  ];

  return (
    <div className="studio studio-designer" data-testid="designer">
      <header className="studio-header">
        <div className="studio-title">
          <h1 title={machine}>{machine}</h1>
          {/* Under the name, not beside it: the toolbar keeps one row at 1280 px. */}
          <div className="studio-subtitle">
            <span className="muted">
              version {version}
              {dirty ? " · unsaved changes" : ""}
            </span>
            <DraftStatus />
            {!editable && (
              <span className="view-only" data-testid="view-only" title={VIEW_ONLY}>
                View only
              </span>
            )}
          </div>
        </div>
        <div className="studio-actions">
          <span
            className={`problem-count${errorCount ? " has-problems" : warningCount ? " has-warnings" : ""}`}
            data-testid="problem-count"
            title={
              warningCount
                ? "A warning is something AWS accepts that fails when that part runs."
                : undefined
            }
          >
            {[
              errorCount ? `${errorCount} problem${errorCount === 1 ? "" : "s"}` : "",
              warningCount ? `${warningCount} warning${warningCount === 1 ? "" : "s"}` : "",
            ]
              .filter(Boolean)
              .join(", ") || "No problems"}
          </span>
          {editable && (
            <>
              <button
                type="button"
                className="secondary"
                data-testid="undo"
                onClick={undo}
                disabled={!canUndo}
                title="Undo (Ctrl+Z)"
              >
                Undo
              </button>
              <button
                type="button"
                className="secondary"
                data-testid="redo"
                onClick={redo}
                disabled={!canRedo}
                title="Redo (Ctrl+Shift+Z)"
              >
                Redo
              </button>
            </>
          )}
          <EditMenu onShortcuts={() => setHelpOpen(true)} editable={editable} />
          <FileMenu machine={machine} editable={editable} />
          {/* A viewer changes nothing: no Tidy layout, no Save (the server would refuse). */}
          {editable && (
            <>
              <button type="button" className="secondary" onClick={() => void autoLayout()}>
                Tidy layout
              </button>
              {/* Never disabled while idle: a click must reach Save after the field being typed in
                commits on blur, even when that commit is the only change. */}
              <SaveComment />
              <button
                type="button"
                className={dirty ? "primary" : "secondary"}
                data-testid="save-button"
                title="Save (Ctrl+S)"
                disabled={saving}
                onClick={() => void saveWithComment()}
              >
                {saving ? "Saving…" : dirty ? "Save" : "Saved"}
              </button>
            </>
          )}
        </div>
      </header>
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
      <NoticeBar />
      <DraftBar />
      <div className="studio-body">
        {editable && <Palette />}
        {comparing ? <DiffCanvas /> : <Canvas editable={editable} />}
        <aside className="side-panel">
          <nav className="tabs" role="tablist">
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                className={tab === t.id ? "tab active" : "tab"}
                data-testid={`tab-${t.id}`}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </nav>
          <div className="tab-body">
            {tab === "run" && <RunPanel />}
            {tab === "runs" && (
              <>
                {/* With the runs it sums up; the toolbar has no room for its legend. */}
                <HeatMapControls />
                <RecentRuns machine={machine} />
              </>
            )}
            {tab === "state" && <Inspector />}
            {tab === "code" && <CodeView />}
            {tab === "problems" && <ProblemsList />}
            {tab === "versions" && <VersionsPanel />}
            {tab === "simulate" && <SimulatorPanel />}
          </div>
        </aside>
      </div>
    </div>
  );
}
