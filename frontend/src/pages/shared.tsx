import { useGraph } from "../store";

export function LoadState({ error, what }: { error: string | null; what: string }) {
  return (
    <div className="load-state" role={error ? "alert" : "status"}>
      {error ? (
        <>
          <h1>Could not load {what}</h1>
          <p>{error}</p>
          <p>
            <a href="/">Back to the list</a>
          </p>
        </>
      ) : (
        <p className="muted">Loading {what}…</p>
      )}
    </div>
  );
}

export function NoticeBar() {
  const notice = useGraph((s) => s.notice);
  const dismiss = useGraph((s) => s.dismissNotice);
  if (!notice) return null;
  return (
    <div
      className={`notice notice-${notice.kind}`}
      role={notice.kind === "error" ? "alert" : "status"}
      data-testid="notice"
    >
      <span>{notice.text}</span>
      <button type="button" className="link" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
