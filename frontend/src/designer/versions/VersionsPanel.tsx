// The Versions tab: every saved version with who saved it, when and why; two of them (or one
// and the draft) compared on the canvas with what changed listed in words; a restore into the
// draft.
import { useEffect, useRef, useState } from "react";
import { isDirty, useGraph } from "../../store";
import { transitionText, valueText, type DefinitionDiff, type StateDiff } from "./diff";
import { DIFF_LABELS } from "./DiffCanvas";
import { sideName, useVersions, whenText, type Side } from "./versionsStore";
import "./versions.css";

function sideValue(side: Side): string {
  return side === "draft" ? "draft" : String(side);
}

function readSide(value: string): Side {
  return value === "draft" ? "draft" : Number(value);
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function StateChanges({ state, focused }: { state: StateDiff; focused: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: "nearest" });
  }, [focused]);
  return (
    <li
      ref={ref}
      className={`diff-entry diff-entry-${state.kind}${focused ? " is-focused" : ""}`}
      data-testid={`diff-entry-${state.name}`}
      data-diff={state.kind}
    >
      <div className="diff-entry-head">
        <span className={`diff-badge diff-badge-${state.kind}`}>{DIFF_LABELS[state.kind]}</span>
        <strong>{state.name}</strong>
        <span className="muted small">{state.type}</span>
      </div>
      {state.kind === "changed" && (
        <ul className="diff-fields">
          {state.changes.map((change) => (
            <li key={change.path} data-testid="diff-field" title={change.path}>
              <span className="diff-field-name">{change.label}</span>
              <span className="diff-values">
                <span className="diff-old">{valueText(change.before)}</span>
                <span aria-label="becomes"> → </span>
                <span className="diff-new">{valueText(change.after)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ChangeList({ diff }: { diff: DefinitionDiff }) {
  const focused = useVersions((s) => s.focused);
  const touched = diff.states.filter((s) => s.kind !== "same");
  const nothing = touched.length === 0 && diff.transitions.length === 0 && !diff.machine.length;
  return (
    <div className="diff-changes" data-testid="diff-changes">
      {nothing && <p className="muted">No differences: the two are the same machine.</p>}
      {diff.machine.length > 0 && (
        <ul className="diff-fields diff-machine" data-testid="diff-machine">
          {diff.machine.map((change) => (
            <li key={change.path} data-testid="diff-field" title={change.path}>
              <span className="diff-field-name">machine › {change.label}</span>
              <span className="diff-values">
                <span className="diff-old">{valueText(change.before)}</span> →{" "}
                <span className="diff-new">{valueText(change.after)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {touched.length > 0 && (
        <ul className="diff-states">
          {touched.map((state) => (
            <StateChanges key={state.key} state={state} focused={focused === state.key} />
          ))}
        </ul>
      )}
      {diff.transitions.length > 0 && (
        <>
          <h3>Arrows</h3>
          <ul className="diff-arrows" data-testid="diff-arrows">
            {diff.transitions.map((t, i) => (
              <li
                key={i}
                className={`diff-arrow-entry diff-entry-${t.kind}`}
                data-testid="diff-arrow"
              >
                <span className={`diff-badge diff-badge-${t.kind}`}>{DIFF_LABELS[t.kind]}</span>
                {transitionText(t.transition)}
                {t.before && <span className="muted small"> (was “{t.before.label}”)</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function VersionsPanel() {
  const machine = useGraph((s) => s.machineName);
  const current = useGraph((s) => s.version);
  const dirty = useGraph(isDirty);
  const { versions, nextCursor, loading, error, comparison, comparing } = useVersions();
  const { load, loadOlder, compare, restore, closeComparison } = useVersions.getState();
  const [before, setBefore] = useState<Side | null>(null);
  const [after, setAfter] = useState<Side>("draft");

  useEffect(() => {
    void load(machine);
  }, [machine, load]);

  // Until someone picks, the draft is compared with the version it builds on.
  const shownBefore = before ?? (dirty ? current : Math.max(1, current - 1));
  const shownAfter = before === null && !dirty ? current : after;

  return (
    <div className="versions-panel" data-testid="versions-panel">
      <section className="versions-compare">
        <h2>Compare</h2>
        <div className="versions-pick">
          <label>
            From
            <select
              data-testid="compare-before"
              value={sideValue(shownBefore)}
              onChange={(e) => setBefore(readSide(e.target.value))}
            >
              {versions.map((v) => (
                <option key={v.number} value={v.number}>
                  version {v.number}
                </option>
              ))}
            </select>
          </label>
          <label>
            to
            <select
              data-testid="compare-after"
              value={sideValue(shownAfter)}
              onChange={(e) => {
                setBefore(shownBefore);
                setAfter(readSide(e.target.value));
              }}
            >
              <option value="draft">your draft{dirty ? "" : " (as saved)"}</option>
              {versions.map((v) => (
                <option key={v.number} value={v.number}>
                  version {v.number}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="primary small"
            data-testid="compare-button"
            disabled={comparing || versions.length === 0}
            onClick={() => void compare(shownBefore, shownAfter)}
          >
            {comparing ? "Comparing…" : "Show changes"}
          </button>
        </div>
        {error && (
          <p className="field-error" role="alert" data-testid="versions-error">
            {error}
          </p>
        )}
      </section>

      {comparison && (
        <section className="versions-diff">
          <div className="versions-diff-head">
            <h2>
              {comparison.before === comparison.after
                ? capitalised(sideName(comparison.after))
                : `${capitalised(sideName(comparison.before))} → ${sideName(comparison.after)}`}
            </h2>
            <button type="button" className="link small" onClick={closeComparison}>
              Close
            </button>
          </div>
          <ChangeList diff={comparison.diff} />
        </section>
      )}

      <section>
        <h2>Versions</h2>
        <ol className="versions-list" data-testid="versions-list">
          {versions.map((v) => (
            <li key={v.number} className="version-row" data-testid={`version-${v.number}`}>
              <div className="version-head">
                <strong>Version {v.number}</strong>
                {v.number === current && <span className="tag tag-start">latest</span>}
                <span className="muted small">
                  {v.created_by ?? "unknown"} · {whenText(v.created_at)}
                </span>
              </div>
              <div
                className={v.comment ? "version-comment" : "version-comment muted"}
                data-testid="version-comment"
              >
                {v.comment || "No comment"}
              </div>
              <div className="version-actions">
                <button
                  type="button"
                  className="link small"
                  data-testid="version-view"
                  onClick={() => void compare(v.number, v.number)}
                >
                  View
                </button>
                {v.number > 1 && (
                  <button
                    type="button"
                    className="link small"
                    data-testid="version-changes"
                    onClick={() => void compare(v.number - 1, v.number)}
                    title={`What version ${v.number} changed from version ${v.number - 1}`}
                  >
                    What changed
                  </button>
                )}
                <button
                  type="button"
                  className="link small"
                  data-testid="version-vs-draft"
                  onClick={() => void compare(v.number, "draft")}
                >
                  Compare with draft
                </button>
                <button
                  type="button"
                  className="link small"
                  data-testid="version-restore"
                  onClick={() => void restore(v.number)}
                  title="Make this version the draft; nothing is published until you save"
                >
                  Restore into draft
                </button>
              </div>
            </li>
          ))}
        </ol>
        {loading && <p className="muted small">Loading versions…</p>}
        {nextCursor !== null && !loading && (
          <button
            type="button"
            className="secondary small"
            data-testid="versions-older"
            onClick={() => void loadOlder()}
          >
            Show older versions
          </button>
        )}
      </section>
    </div>
  );
}
