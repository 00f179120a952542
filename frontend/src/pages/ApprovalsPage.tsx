// The approvals inbox: every task token waiting for the signed-in user, across runs and
// machines, kept live over the approvals WebSocket. Answer one at a time, or select several
// and approve or reject them at once with one comment.
import { useCallback, useEffect, useRef, useState } from "react";
import { approvalsApi, followApprovals } from "../approvalsApi";
import type { PendingTask } from "../asl/types";
import { ApprovalCard } from "../components/approvals/ApprovalCard";
import "../components/approvals/approvals.css";
import "../components/runTools/runTools.css";

/** A fallback look now and then, should a nudge be lost. */
const POLL_MS = 30000;

/** The inbox's pages: a reload fetches again as many as were shown, so "Show more" sticks. */
function useInbox(): {
  tasks: PendingTask[];
  count: number;
  error: string | null;
  reload: () => void;
  hasMore: boolean;
  showMore: () => void;
} {
  const [tasks, setTasks] = useState<PendingTask[]>([]);
  const [count, setCount] = useState(0);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const again = useRef(false);
  const pages = useRef(1);
  const reload = useCallback((): void => {
    // One request at a time; a nudge meanwhile asks once more after it.
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    const fetchPages = async (): Promise<void> => {
      let cursor: string | null = null;
      const shown: PendingTask[] = [];
      let total = 0;
      for (let page = 0; page < pages.current; page++) {
        const inbox = await approvalsApi.inbox(cursor);
        shown.push(...inbox.pending_tasks);
        total = inbox.count;
        cursor = inbox.next_cursor ?? null;
        if (!cursor) break;
      }
      setTasks(shown);
      setCount(total);
      setHasMore(cursor !== null);
      setError(null);
    };
    fetchPages()
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        loading.current = false;
        if (again.current) {
          again.current = false;
          reload();
        }
      });
  }, []);
  const showMore = useCallback((): void => {
    pages.current += 1;
    reload();
  }, [reload]);
  useEffect(() => {
    reload();
    const stop = followApprovals(reload);
    const timer = window.setInterval(reload, POLL_MS);
    return () => {
      stop();
      window.clearInterval(timer);
    };
  }, [reload]);
  return { tasks, count, error, reload, hasMore, showMore };
}

function BulkBar({
  selected,
  clear,
  done,
}: {
  selected: PendingTask[];
  clear: () => void;
  done: () => void;
}) {
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const answer = async (approve: boolean): Promise<void> => {
    setBusy(true);
    const failed: string[] = [];
    for (const task of selected) {
      try {
        if (approve) await approvalsApi.approve(task.task_token, comment);
        else await approvalsApi.reject(task.task_token, comment);
      } catch (e) {
        failed.push(`${task.state_name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    setBusy(false);
    setProblems(failed);
    setComment("");
    clear();
    done();
  };
  if (selected.length === 0 && problems.length === 0) return null;
  return (
    <div className="approvals-bulk" data-testid="approvals-bulk">
      {selected.length > 0 && (
        <>
          <strong>{selected.length} selected</strong>
          <input
            type="text"
            aria-label="Comment for the selected approvals"
            placeholder="Comment for all of them (optional)"
            data-testid="bulk-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="bulk-approve"
            onClick={() => void answer(true)}
          >
            Approve {selected.length}
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            data-testid="bulk-reject"
            onClick={() => void answer(false)}
          >
            Reject {selected.length}
          </button>
          <button type="button" className="secondary" onClick={clear}>
            Clear
          </button>
        </>
      )}
      {problems.length > 0 && (
        <ul className="field-error" role="alert" data-testid="bulk-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ApprovalsPage() {
  const { tasks, count, error, reload, hasMore, showMore } = useInbox();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Forget selections of tasks that are gone (answered elsewhere, timed out).
  useEffect(() => {
    setSelected((old) => new Set([...old].filter((t) => tasks.some((x) => x.task_token === t))));
  }, [tasks]);
  const answerable = tasks.filter((t) => t.may_answer !== false);
  const allSelected = answerable.length > 0 && answerable.every((t) => selected.has(t.task_token));
  const toggle = (token: string, on: boolean): void =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(token);
      else next.delete(token);
      return next;
    });

  return (
    <main className="approvals-page" data-testid="approvals-page">
      <div className="approvals-page-head">
        <h1>
          Approvals{" "}
          <span className="muted" data-testid="approvals-count">
            {count} waiting for you
          </span>
        </h1>
        {answerable.length > 1 && (
          <label className="approvals-select-all">
            <input
              type="checkbox"
              data-testid="approvals-select-all"
              checked={allSelected}
              onChange={(e) =>
                setSelected(new Set(e.target.checked ? answerable.map((t) => t.task_token) : []))
              }
            />{" "}
            Select all
          </label>
        )}
      </div>
      <BulkBar
        selected={tasks.filter((t) => selected.has(t.task_token))}
        clear={() => setSelected(new Set())}
        done={reload}
      />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {tasks.length === 0 && !error ? (
        <p className="empty" data-testid="approvals-empty">
          Nothing waits for you. When a run reaches an approval step you may answer, it appears here
          at once.
        </p>
      ) : (
        <div className="approvals-list">
          {tasks.map((task) => (
            <ApprovalCard
              key={task.task_token}
              task={task}
              showRun
              onAnswered={reload}
              selected={selected.has(task.task_token)}
              onSelect={(on) => toggle(task.task_token, on)}
            />
          ))}
        </div>
      )}
      {hasMore && (
        <p className="approvals-more">
          <span className="muted small">
            {tasks.length} of {count} shown, oldest first.
          </span>{" "}
          <button
            type="button"
            className="secondary"
            data-testid="approvals-more"
            onClick={showMore}
          >
            Show {Math.min(50, count - tasks.length)} more
          </button>
        </p>
      )}
    </main>
  );
}
