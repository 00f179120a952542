// Every run the user may view, across machines: filters, data search, live counts per status,
// cursor pages and bulk stop / redrive. The filters live in the address, so a reload (or a
// link sent to a colleague) shows the same list.
import "./executions.css";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { executionPageUrl } from "../api";
import { ExecutionStatusPill } from "../components/ExecutionStatusPill";
import {
  type BulkResult,
  type Counts,
  FILTER_KEYS,
  type Filters,
  followAllExecutions,
  queryOf,
  type RunSummary,
  runsApi,
  type StatusFilter,
} from "../executionsApi";
import { messageOf } from "../store/derive";

const STATUS_TABS: { status: StatusFilter | ""; label: string }[] = [
  { status: "", label: "All" },
  { status: "RUNNING", label: "Running" },
  { status: "WAITING_FOR_APPROVAL", label: "Waiting for approval" },
  { status: "SUCCEEDED", label: "Succeeded" },
  { status: "FAILED", label: "Failed" },
  { status: "TIMED_OUT", label: "Timed out" },
  { status: "ABORTED", label: "Aborted" },
];

function filtersFromAddress(): Filters {
  const params = new URLSearchParams(window.location.search);
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

function when(date: string | null): string {
  return date ? new Date(date).toLocaleString() : "—";
}

function duration(run: RunSummary): string {
  const end = run.stop_date ? new Date(run.stop_date).getTime() : Date.now();
  const seconds = Math.max(0, (end - new Date(run.start_date).getTime()) / 1000);
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function countText(counts: Counts | null, status: StatusFilter | ""): string {
  if (!counts) return "";
  if (status === "") {
    const all = (["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] as const).map(
      (s) => counts[s],
    );
    const total = all.reduce((sum, c) => sum + c.count, 0);
    return `${total.toLocaleString()}${all.some((c) => c.more) ? "+" : ""}`;
  }
  const shown = counts[status];
  return `${shown.count.toLocaleString()}${shown.more ? "+" : ""}`;
}

/** datetime-local speaks local time without a zone; the API wants an instant. */
function toInstant(local: string): string {
  if (!local) return "";
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function toLocalInput(instant: string | undefined): string {
  if (!instant) return "";
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return "";
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** Whether a live summary belongs in the list as filtered (only what the browser can tell). */
function fitsFilters(run: RunSummary, filters: Filters): boolean {
  if (filters.search || filters.data_path || filters.started_after || filters.started_before)
    return false; // the server decides those: the "new runs" notice offers a refresh
  if (filters.machine && run.state_machine !== filters.machine) return false;
  if (filters.version && String(run.version) !== filters.version) return false;
  if (filters.status === "WAITING_FOR_APPROVAL") return run.waiting_for_approval;
  return !filters.status || run.status === filters.status;
}

export function ExecutionsPage() {
  const [filters, setFilters] = useState<Filters>(filtersFromAddress);
  const [draft, setDraft] = useState<Filters>(filters);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [machines, setMachines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [unseen, setUnseen] = useState(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const refreshCounts = useCallback(() => {
    runsApi.counts(filtersRef.current).then(
      ({ counts }) => setCounts(counts),
      () => undefined, // the list shows the error; counts keep their last figures
    );
  }, []);

  const load = useCallback(() => {
    const asked = filtersRef.current;
    setError(null);
    setUnseen(0);
    runsApi.page(asked).then(
      (page) => {
        if (asked !== filtersRef.current) return; // the filters changed meanwhile
        setRuns(page.executions);
        setCursor(page.next_cursor);
      },
      (e: unknown) => {
        setRuns([]);
        setCursor(null);
        setError(messageOf(e));
      },
    );
    refreshCounts();
  }, [refreshCounts]);

  useEffect(() => {
    runsApi.machines().then(
      ({ state_machines }) => setMachines(state_machines.map((m) => m.name)),
      () => undefined,
    );
  }, []);

  useEffect(() => {
    const query = queryOf(filters);
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
    load();
  }, [filters, load]);

  // Live: known runs change in place, new ones that fit go on top, counts follow (at most
  // one request a second however many runs move).
  useEffect(() => {
    let timer: number | null = null;
    const stream = followAllExecutions(
      (summary) => {
        setRuns((known) => {
          if (known === null) return known;
          const at = known.findIndex((r) => r.id === summary.id);
          if (at >= 0) return known.map((r, i) => (i === at ? { ...r, ...summary } : r));
          if (fitsFilters(summary, filtersRef.current)) return [summary, ...known];
          setUnseen((n) => n + 1);
          return known;
        });
        if (timer === null)
          timer = window.setTimeout(() => {
            timer = null;
            refreshCounts();
          }, 1000);
      },
      () => load(),
    );
    return () => {
      stream.close();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [load, refreshCounts]);

  const more = (): void => {
    if (!cursor) return;
    runsApi.page(filters, cursor).then(
      (page) => {
        // Live summaries may have added a run of this page already: keep each once.
        setRuns((known) => {
          const ids = new Set((known ?? []).map((r) => r.id));
          return [...(known ?? []), ...page.executions.filter((r) => !ids.has(r.id))];
        });
        setCursor(page.next_cursor);
      },
      (e: unknown) => setError(messageOf(e)),
    );
  };

  const apply = (event: FormEvent): void => {
    event.preventDefault();
    const next: Filters = { ...draft, status: filters.status };
    if (!next.machine) delete next.version;
    setSelected(new Set());
    setFilters(next);
  };

  const clear = (): void => {
    setDraft({});
    setSelected(new Set());
    setFilters({});
  };

  const chooseStatus = (status: StatusFilter | ""): void => {
    setSelected(new Set());
    setFilters({ ...filters, status: status || undefined });
  };

  const toggle = (id: string): void =>
    setSelected((known) => {
      const next = new Set(known);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const bulk = (action: "stop" | "redrive"): void => {
    setBusy(true);
    runsApi.bulk(action, [...selected]).then(
      ({ results }) => {
        setBusy(false);
        setResults(results);
        setSelected(new Set(results.filter((r) => !r.ok).map((r) => r.id)));
        setRuns((known) =>
          (known ?? []).map((run) => {
            const result = results.find((r) => r.id === run.id);
            return result?.ok && result.status
              ? { ...run, status: result.status, waiting_for_approval: false }
              : run;
          }),
        );
        refreshCounts();
      },
      (e: unknown) => {
        setBusy(false);
        setError(messageOf(e));
      },
    );
  };

  const names = new Map((runs ?? []).map((r) => [r.id, r.name]));
  const allSelected = runs !== null && runs.length > 0 && runs.every((r) => selected.has(r.id));

  return (
    <div className="runs-page" data-testid="executions-page">
      <header className="runs-header">
        <h1>Executions</h1>
        <p className="muted">Every run of the state machines you may see, updated live.</p>
      </header>

      <nav className="runs-tabs" aria-label="Status">
        {STATUS_TABS.map(({ status, label }) => (
          <button
            key={label}
            type="button"
            className={`runs-tab${(filters.status ?? "") === status ? " runs-tab-active" : ""}`}
            aria-pressed={(filters.status ?? "") === status}
            data-testid={`status-tab-${status || "ALL"}`}
            onClick={() => chooseStatus(status)}
          >
            <span>{label}</span>
            <span className="runs-count" data-testid={`count-${status || "ALL"}`}>
              {countText(counts, status)}
            </span>
          </button>
        ))}
      </nav>

      <form className="runs-filters" onSubmit={apply} data-testid="filters">
        <label>
          Name, id or ARN
          <input
            type="search"
            value={draft.search ?? ""}
            placeholder="order-42 or arn:aws:states:…"
            onChange={(e) => setDraft({ ...draft, search: e.target.value })}
            data-testid="filter-search"
          />
        </label>
        <label>
          State machine
          <select
            value={draft.machine ?? ""}
            onChange={(e) => setDraft({ ...draft, machine: e.target.value, version: "" })}
            data-testid="filter-machine"
          >
            <option value="">Any</option>
            {machines.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="runs-narrow">
          Version
          <input
            type="number"
            min={1}
            value={draft.version ?? ""}
            disabled={!draft.machine}
            title={draft.machine ? "" : "Choose a state machine first"}
            onChange={(e) => setDraft({ ...draft, version: e.target.value })}
            data-testid="filter-version"
          />
        </label>
        <label>
          Started after
          <input
            type="datetime-local"
            value={toLocalInput(draft.started_after)}
            onChange={(e) => setDraft({ ...draft, started_after: toInstant(e.target.value) })}
            data-testid="filter-after"
          />
        </label>
        <label>
          Started before
          <input
            type="datetime-local"
            value={toLocalInput(draft.started_before)}
            onChange={(e) => setDraft({ ...draft, started_before: toInstant(e.target.value) })}
            data-testid="filter-before"
          />
        </label>
        <fieldset className="runs-data">
          <legend title="A field of the run's input, written $.field or $.field.inner, and the value it must have">
            Input contains
          </legend>
          <input
            type="text"
            value={draft.data_path ?? ""}
            placeholder="$.customer.id"
            aria-label="Field of the input (a JSONPath)"
            onChange={(e) => setDraft({ ...draft, data_path: e.target.value })}
            data-testid="filter-data-path"
          />
          <span aria-hidden="true">=</span>
          <input
            type="text"
            value={draft.data_value ?? ""}
            placeholder="42"
            aria-label="Value of that field"
            onChange={(e) => setDraft({ ...draft, data_value: e.target.value })}
            data-testid="filter-data-value"
          />
        </fieldset>
        <div className="runs-filter-actions">
          <button type="submit" className="primary" data-testid="apply-filters">
            Search
          </button>
          <button type="button" onClick={clear} data-testid="clear-filters">
            Clear
          </button>
        </div>
      </form>

      {error && (
        <div className="notice notice-error" role="alert" data-testid="runs-error">
          {error}
        </div>
      )}
      {unseen > 0 && (
        <div className="notice notice-info" role="status">
          <span>
            {unseen} run{unseen === 1 ? "" : "s"} changed that may match these filters.
          </span>
          <button type="button" className="link" onClick={load}>
            Refresh
          </button>
        </div>
      )}

      <div className="runs-bulk" data-testid="bulk-bar">
        <span className="muted">
          {selected.size > 0 ? `${selected.size} selected` : "Select runs to stop or redrive them."}
        </span>
        <button
          type="button"
          disabled={selected.size === 0 || busy}
          onClick={() => bulk("stop")}
          data-testid="bulk-stop"
        >
          Stop selected
        </button>
        <button
          type="button"
          disabled={selected.size === 0 || busy}
          onClick={() => bulk("redrive")}
          data-testid="bulk-redrive"
        >
          Redrive selected
        </button>
      </div>
      {results && (
        <div
          className={`notice ${results.every((r) => r.ok) ? "notice-success" : "notice-error"}`}
          role="status"
          data-testid="bulk-results"
        >
          <div>
            <strong>
              {results.filter((r) => r.ok).length} of {results.length} done.
            </strong>
            {results
              .filter((r) => !r.ok)
              .map((r) => (
                <div key={r.id}>
                  {names.get(r.id) ?? r.id}: {r.message}
                </div>
              ))}
          </div>
          <button
            type="button"
            className="link"
            onClick={() => setResults(null)}
            aria-label="Dismiss"
          >
            ×
          </button>
        </div>
      )}

      {runs === null ? (
        <p className="muted">Loading runs…</p>
      ) : runs.length === 0 ? (
        <p className="empty-panel" data-testid="no-runs">
          <strong>No runs match.</strong> Change or clear the filters.
        </p>
      ) : (
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th className="runs-check">
                <input
                  type="checkbox"
                  aria-label="Select every run shown"
                  checked={allSelected}
                  onChange={() =>
                    setSelected(allSelected ? new Set() : new Set(runs.map((r) => r.id)))
                  }
                  data-testid="select-all"
                />
              </th>
              <th>Name</th>
              <th>Status</th>
              <th>State machine</th>
              <th>Version</th>
              <th>Started</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="run-row" data-name={run.name}>
                <td className="runs-check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${run.name}`}
                    checked={selected.has(run.id)}
                    onChange={() => toggle(run.id)}
                  />
                </td>
                <td className="runs-name">
                  <a href={executionPageUrl(run.id)} title={run.id}>
                    {run.name}
                  </a>
                </td>
                <td>
                  {run.waiting_for_approval && run.status === "RUNNING" ? (
                    <span
                      className="pill pill-waiting"
                      data-testid="run-status"
                      data-status="WAITING"
                    >
                      Waiting for approval
                    </span>
                  ) : (
                    <ExecutionStatusPill status={run.status} testId="run-status" />
                  )}
                </td>
                <td>
                  <a href={`/designer/${encodeURIComponent(run.state_machine)}/`}>
                    {run.state_machine}
                  </a>
                </td>
                <td className="num">{run.version}</td>
                <td className="num">{when(run.start_date)}</td>
                <td className="num">{duration(run)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" className="runs-more" onClick={more} data-testid="load-more">
          Show more runs
        </button>
      )}
    </div>
  );
}
