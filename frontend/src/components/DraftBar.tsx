// What the designer says about the draft: that it opened on unpublished work, that someone
// else is editing, that someone else's save needs a decision, and whether edits are kept.
import { discardDraft, keepMine, loadTheirs } from "../store/autosave";
import { clockTime, useDraft } from "../store/draftState";
import "./DraftBar.css";

export function DraftStatus() {
  const status = useDraft((s) => s.status);
  const savedAt = useDraft((s) => s.savedAt);
  const error = useDraft((s) => s.error);
  const text =
    status === "pending" || status === "saving"
      ? "Keeping your draft…"
      : status === "saved" && savedAt
        ? `Draft kept at ${clockTime(savedAt)}`
        : status === "error" && error
          ? `Draft not kept: ${error}`
          : "";
  if (!text) return null;
  return (
    <span
      className={`draft-status draft-status-${status}`}
      data-testid="draft-status"
      data-status={status}
      title="Your work in progress is kept on the server, even with problems. Save publishes it as a version."
    >
      {text}
    </span>
  );
}

export function DraftBar() {
  const restored = useDraft((s) => s.restored);
  const conflict = useDraft((s) => s.conflict);
  const editors = useDraft((s) => s.editors);
  return (
    <>
      {conflict && (
        <div className="draft-bar draft-conflict" role="alert" data-testid="draft-conflict">
          <span>{conflict.message} Nothing was overwritten.</span>
          {conflict.theirs && (
            <button type="button" className="secondary" onClick={loadTheirs}>
              Load their changes
            </button>
          )}
          <button type="button" className="secondary" onClick={keepMine}>
            Keep mine
          </button>
        </div>
      )}
      {editors.length > 0 && (
        <div className="draft-bar draft-editors" role="status" data-testid="draft-editors">
          <span className="draft-presence-dot" aria-hidden="true" />
          {editors.join(", ")} {editors.length === 1 ? "is" : "are"} also editing this machine.
          Their saves and yours never overwrite each other unseen.
        </div>
      )}
      {restored && (
        <div className="draft-bar draft-restored" role="status" data-testid="draft-restored">
          <span>
            {restored.by
              ? `Restored the unsaved draft ${restored.by} kept at ${clockTime(restored.at)}`
              : `Restored your unsaved draft from ${clockTime(restored.at)}`}
            {" — "}
          </span>
          <button
            type="button"
            className="link"
            data-testid="draft-discard"
            onClick={() => void discardDraft()}
            title="Throw the draft away and open the saved version"
          >
            Discard
          </button>
          <button
            type="button"
            className="link draft-dismiss"
            aria-label="Hide this note"
            onClick={() => useDraft.setState({ restored: null })}
          >
            ×
          </button>
        </div>
      )}
    </>
  );
}
