// The run's history. Only the rows in view are drawn (fixed-height rows, a few screens of
// overscan), so a history of any length scrolls as fast as a short one; a row's details open
// beside the table as formatted JSON rather than growing the row.
import "./EventTable.css";
import { useEffect, useRef, useState } from "react";
import { keyInfo } from "../asl/runStatus";
import type { HistoryEvent } from "../asl/types";
import { useGraph } from "../store";
import { JsonView } from "./JsonView";

const ROW_HEIGHT = 30;
// The details fields AWS writes as JSON text.
const JSON_TEXT_FIELDS = new Set(["input", "output", "parameters", "result"]);
// Rows drawn above and below the visible ones; a short history is drawn whole.
const OVERSCAN = 100;

function timeOf(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  // Milliseconds matter: many events of one run share the same second.
  return date.toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hour12: false,
  });
}

/** The window of rows to draw for a scroll position. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  count: number,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  return { first, last };
}

export function EventTable() {
  const events = useGraph((s) => s.events);
  const owners = useGraph((s) => s.run.owners);
  const select = useGraph((s) => s.select);
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const [opened, setOpened] = useState<HistoryEvent | null>(null);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = (): void => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [events.length === 0]);

  if (events.length === 0) {
    return <p className="muted empty-panel">No events yet.</p>;
  }
  const { first, last } = visibleRange(view.top, view.height, events.length);
  return (
    <div className="events-layout">
      <div
        className="events-window"
        ref={scroller}
        onScroll={(e) =>
          setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
        }
      >
        <table className="events" data-testid="event-table" data-count={events.length}>
          <thead>
            <tr>
              <th>#</th>
              <th>Type</th>
              <th>State</th>
              <th>Time</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {first > 0 && <tr style={{ height: first * ROW_HEIGHT }} aria-hidden="true" />}
            {events.slice(first, last).map((event) => {
              const owner = owners[event.id];
              const state = owner === undefined ? null : keyInfo(owner);
              const bad = /Failed|TimedOut|Aborted/.test(event.type);
              return (
                <tr
                  key={event.id}
                  data-testid="event-row"
                  style={{ height: ROW_HEIGHT }}
                  className={
                    [bad ? "event-bad" : "", opened?.id === event.id ? "event-opened" : ""]
                      .join(" ")
                      .trim() || undefined
                  }
                >
                  <td className="num">{event.id}</td>
                  <td>{event.type}</td>
                  <td>
                    {state === null ? (
                      <span className="muted">—</span>
                    ) : state.topLevel ? (
                      <button type="button" className="link" onClick={() => select(state.name)}>
                        {state.name}
                      </button>
                    ) : (
                      // Inner states of a Map or Parallel have no node of their own to select.
                      <span className="inner-state">{state.name}</span>
                    )}
                  </td>
                  <td className="num">{timeOf(event.timestamp)}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      aria-pressed={opened?.id === event.id}
                      onClick={() => setOpened(opened?.id === event.id ? null : event)}
                      data-testid="event-details-button"
                    >
                      {opened?.id === event.id ? "Hide" : "Show"}
                    </button>
                  </td>
                </tr>
              );
            })}
            {last < events.length && (
              <tr style={{ height: (events.length - last) * ROW_HEIGHT }} aria-hidden="true" />
            )}
          </tbody>
        </table>
      </div>
      {opened && (
        <aside className="event-detail" data-testid="event-details">
          <div className="event-detail-head">
            <strong>
              #{opened.id} {opened.type}
            </strong>
            <button type="button" className="link" onClick={() => setOpened(null)}>
              Close
            </button>
          </div>
          {/* AWS writes input and output as JSON text: shown as the JSON they hold. */}
          <JsonView
            value={Object.fromEntries(
              Object.entries((opened.details ?? {}) as Record<string, unknown>).map(([k, v]) => [
                k,
                JSON_TEXT_FIELDS.has(k) ? parsedJson(v) : v,
              ]),
            )}
          />
        </aside>
      )}
    </div>
  );
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
