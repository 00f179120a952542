// A Map state's iterations in this run: status and duration, a page at a time, failed ones on
// their own; opening one lists its events.
import { Fragment, useCallback, useEffect, useState } from "react";
import { runToolsApi, type MapIteration } from "../../runToolsApi";
import { eventDetails, type HistoryEvent } from "../../asl/types";
import { duration } from "./heat";
import { eventWords } from "./TimeScrubber";

const PAGE = 20;

const STATUS_WORDS: Record<MapIteration["status"], string> = {
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  ABORTED: "Stopped",
};

function lasted(it: MapIteration): string {
  if (!it.startDate) return "—";
  const end = it.stopDate ? Date.parse(it.stopDate) : Date.now();
  return duration(end - Date.parse(it.startDate)) + (it.stopDate ? "" : " so far");
}

function IterationEvents({ execution, it }: { execution: string; it: MapIteration }) {
  const [events, setEvents] = useState<HistoryEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    runToolsApi.iterationEvents(execution, it).then(
      (page) => setEvents(page.events),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
    // The iteration is named by these; a new object for the same one (a refresh) is the same.
  }, [execution, it.mapEventId, it.index, it.childExecutionArn]);
  if (error) return <p className="field-error">{error}</p>;
  if (!events) return <p className="muted small">Loading its events…</p>;
  return (
    <ol className="iteration-events" data-testid="iteration-events">
      {events.map((event) => {
        const details = eventDetails(event);
        const name = typeof details["name"] === "string" ? details["name"] : "";
        const error = typeof details["error"] === "string" ? details["error"] : "";
        return (
          <li key={event.id}>
            <span className="muted small">#{event.id}</span> {eventWords(event.type)}
            {name && event.type.includes("State") ? ` · ${name}` : ""}
            {error ? ` · ${error}` : ""}
          </li>
        );
      })}
    </ol>
  );
}

export function MapIterationsPanel({ execution, state }: { execution: string; state: string }) {
  const [status, setStatus] = useState<"" | "FAILED">("");
  const [after, setAfter] = useState(0);
  const [page, setPage] = useState<{
    iterations: MapIteration[];
    counts: Record<string, number>;
    next_after: number | null;
  } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    runToolsApi.mapIterations(execution, { state, status, after, limit: PAGE }).then(
      (answer) => {
        setPage(answer);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [execution, state, status, after]);
  useEffect(load, [load]);
  const total = page ? Object.values(page.counts).reduce((a, b) => a + b, 0) : 0;
  return (
    <section className="io-block map-iterations" data-testid="map-iterations">
      <h3>Iterations</h3>
      {error && <p className="field-error">{error}</p>}
      {page && (
        <>
          <div className="iteration-filter" role="group" aria-label="Which iterations">
            <button
              type="button"
              className={status === "" ? "primary small" : "secondary small"}
              aria-pressed={status === ""}
              onClick={() => {
                setStatus("");
                setAfter(0);
              }}
            >
              All {total}
            </button>
            <button
              type="button"
              className={status === "FAILED" ? "primary small" : "secondary small"}
              aria-pressed={status === "FAILED"}
              data-testid="iterations-failed"
              onClick={() => {
                setStatus("FAILED");
                setAfter(0);
              }}
            >
              Failed {page.counts["FAILED"] ?? 0}
            </button>
            <button type="button" className="link small" onClick={load}>
              Refresh
            </button>
          </div>
          {page.iterations.length === 0 ? (
            <p className="muted small">No iterations{status ? " failed" : " yet"}.</p>
          ) : (
            <table className="iteration-table">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Status</th>
                  <th scope="col">Took</th>
                </tr>
              </thead>
              <tbody>
                {page.iterations.map((it) => {
                  const key = it.childExecutionArn ?? `${it.mapEventId}:${it.index}`;
                  const isOpen = open === key;
                  return (
                    <Fragment key={key}>
                      <tr data-testid={`iteration-${it.index}`}>
                        <td>
                          <button
                            type="button"
                            className="link"
                            aria-expanded={isOpen}
                            title={it.childExecutionArn}
                            onClick={() => setOpen(isOpen ? null : key)}
                          >
                            {isOpen ? "▾" : "▸"} #{it.index}
                          </button>
                        </td>
                        <td className={`iteration-status iteration-${it.status.toLowerCase()}`}>
                          {STATUS_WORDS[it.status]}
                        </td>
                        <td>{lasted(it)}</td>
                      </tr>
                      {isOpen && (
                        <tr>
                          <td colSpan={3}>
                            <IterationEvents execution={execution} it={it} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          )}
          <div className="iteration-pages">
            <button
              type="button"
              className="secondary small"
              disabled={after === 0}
              onClick={() => setAfter(Math.max(0, after - PAGE))}
            >
              Previous
            </button>
            <span className="muted small">
              {page.iterations.length ? `${after + 1}–${after + page.iterations.length}` : "none"}
            </span>
            <button
              type="button"
              className="secondary small"
              disabled={page.next_after === null}
              data-testid="iterations-next"
              onClick={() => setAfter(page.next_after ?? after)}
            >
              Next
            </button>
          </div>
        </>
      )}
    </section>
  );
}
