// The run's history. Only the rows in view are drawn (fixed-height rows, a few screens of
// overscan), so a history of any length scrolls as fast as a short one; a row's details open
// beside the table as formatted JSON rather than growing the row. The store holds only the
// latest events; older rows are fetched a page at a time as they come into view.
import "./EventTable.css";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { keyInfo, topLevelNames } from "../asl/runStatus";
import { eventDetails, type HistoryEvent } from "../asl/types";
import { useGraph } from "../store";
import { useRunTools } from "../store/runTools";
import { JsonView } from "./JsonView";
import { useOlderEvents } from "./olderEvents";

const ROW_HEIGHT = 30;
const HEAD_HEIGHT = 30;
// Collapsed borders round rows to fractions of a pixel: room for them below the last row.
const END_SLACK = 2;
// The details fields AWS writes as JSON text.
const JSON_TEXT_FIELDS = new Set(["input", "output", "parameters", "result"]);
// Rows drawn above and below the visible ones; a short history is drawn whole.
const OVERSCAN = 100;
// Browsers cap an element's height (Firefox near 17.9 million pixels): beyond this the
// scrollbar stands for the history at a scale, a pixel of it for more than a pixel of rows.
export const MAX_SCROLL_HEIGHT = 6_000_000;

/**
 * Which rows to draw for a scroll position, and where the first of them goes in the
 * scrolled content (under the header). `viewport` is the height rows are seen in.
 */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  count: number,
): { first: number; last: number; top: number; height: number } {
  const natural = count * ROW_HEIGHT;
  const height = Math.min(natural, MAX_SCROLL_HEIGHT);
  const scale = height < natural ? (natural - viewport) / Math.max(1, height - viewport) : 1;
  const rowsTop = Math.min(Math.max(0, scrollTop), Math.max(0, height - viewport)) * scale;
  const first = Math.max(0, Math.floor(rowsTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((rowsTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  return { first, last, top: scrollTop - (rowsTop - first * ROW_HEIGHT), height };
}

/** The scroll position that centres row `row` (0-based): the inverse of visibleRange. */
export function scrollTopFor(row: number, viewport: number, count: number): number {
  const natural = count * ROW_HEIGHT;
  const height = Math.min(natural, MAX_SCROLL_HEIGHT);
  const scale = height < natural ? (natural - viewport) / Math.max(1, height - viewport) : 1;
  const rowsTop = Math.max(0, row * ROW_HEIGHT + ROW_HEIGHT / 2 - viewport / 2);
  return Math.min(rowsTop / scale, Math.max(0, height - viewport));
}

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

/**
 * The height rows are seen in, to the fraction of a pixel: a flex layout leaves fractions,
 * which clientHeight rounds away, and the last row would lose them at the end of the scroll.
 */
function seenHeight(element: HTMLElement): number {
  return element.getBoundingClientRect().height - (element.offsetHeight - element.clientHeight);
}

export function EventTable() {
  const events = useGraph((s) => s.events);
  const count = useGraph((s) => s.run.lastEventId);
  const owners = useGraph((s) => s.run.owners);
  const executionId = useGraph((s) => s.execution?.id ?? null);
  const select = useGraph((s) => s.select);
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const [opened, setOpened] = useState<HistoryEvent | null>(null);
  // Rows follow the newest event while the table is scrolled to its end (as it opens).
  const following = useRef(true);
  const storeStart = events[0]?.id ?? count + 1;
  const definition = useGraph((s) => s.definition);
  const topLevel = useMemo(() => topLevelNames(definition), [definition]);
  const older = useOlderEvents(executionId, storeStart, topLevel);
  // The moment the time scrubber shows: its event is brought into view, later ones greyed.
  const scrubAt = useRunTools((s) => s.scrubAt);

  const measure = (): void => {
    const element = scroller.current;
    if (!element) return;
    setView({ top: element.scrollTop, height: seenHeight(element) });
  };
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [count === 0]);

  const bodyHeight = Math.max(ROW_HEIGHT, view.height - HEAD_HEIGHT);
  const { first, last, top, height } = visibleRange(view.top, bodyHeight, count);

  // Keeps the newest row in view as events arrive, unless the reader has scrolled away.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) {
      element.scrollTop = element.scrollHeight;
      measure();
    }
  }, [count, view.height]);

  useEffect(() => older.want(first + 1, last), [first, last, older.want]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || scrubAt === null) return;
    following.current = false;
    element.scrollTop = scrollTopFor(scrubAt - 1, bodyHeight, count);
    measure();
  }, [scrubAt]);

  const jump = (to: "start" | "end"): void => {
    const element = scroller.current;
    if (!element) return;
    following.current = to === "end";
    element.scrollTop = to === "start" ? 0 : element.scrollHeight;
    measure();
  };

  if (count === 0) {
    return <p className="muted empty-panel">No events yet.</p>;
  }
  const rows: { id: number; event: HistoryEvent | undefined; owner: string | undefined }[] = [];
  for (let id = first + 1; id <= last; id++) {
    const stored = id >= storeStart;
    rows.push({
      id,
      event: stored ? events[id - storeStart] : older.event(id),
      owner: stored ? owners[id] : older.owner(id),
    });
  }
  return (
    <div className="events-layout">
      <div className="events-column">
        <div className="events-toolbar">
          <span className="muted small" data-testid="event-count">
            {count.toLocaleString()} event{count === 1 ? "" : "s"}
            {older.failed ? " · some older events could not be loaded, scroll to retry" : ""}
          </span>
          <button
            type="button"
            className="link"
            onClick={() => jump("start")}
            data-testid="events-first"
          >
            ↑ First event
          </button>
          <button
            type="button"
            className="link"
            onClick={() => jump("end")}
            data-testid="events-latest"
          >
            ↓ Latest
          </button>
        </div>
        <div
          className="events-window"
          ref={scroller}
          onScroll={(e) => {
            const element = e.currentTarget;
            following.current =
              element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
            setView({ top: element.scrollTop, height: seenHeight(element) });
          }}
        >
          <div className="events-scroll" style={{ height: HEAD_HEIGHT + height + END_SLACK }}>
            <table className="events" data-testid="event-table" data-count={count} style={{ top }}>
              <colgroup>
                <col className="col-id" />
                <col className="col-type" />
                <col />
                <col className="col-time" />
                <col className="col-details" />
              </colgroup>
              <thead>
                <tr style={{ height: HEAD_HEIGHT }}>
                  <th>#</th>
                  <th>Type</th>
                  <th>State</th>
                  <th>Time</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ id, event, owner }) =>
                  event === undefined ? (
                    <tr key={id} data-testid="event-row-loading" style={{ height: ROW_HEIGHT }}>
                      <td className="num">{id}</td>
                      <td colSpan={4} className="muted">
                        Loading…
                      </td>
                    </tr>
                  ) : (
                    <EventRow
                      key={id}
                      event={event}
                      owner={owner}
                      opened={opened?.id === event.id}
                      moment={
                        scrubAt === null
                          ? undefined
                          : event.id === scrubAt
                            ? "now"
                            : event.id > scrubAt
                              ? "later"
                              : undefined
                      }
                      onToggle={() => setOpened(opened?.id === event.id ? null : event)}
                      onSelect={select}
                    />
                  ),
                )}
              </tbody>
            </table>
          </div>
        </div>
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
              Object.entries(eventDetails(opened)).map(([k, v]) => [
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

function EventRow({
  event,
  owner,
  opened,
  moment,
  onToggle,
  onSelect,
}: {
  event: HistoryEvent;
  owner: string | undefined;
  opened: boolean;
  moment: "now" | "later" | undefined;
  onToggle(): void;
  onSelect(name: string): void;
}) {
  const state = owner === undefined ? null : keyInfo(owner);
  const bad = /Failed|TimedOut|Aborted/.test(event.type);
  return (
    <tr
      data-testid="event-row"
      data-event-id={event.id}
      style={{ height: ROW_HEIGHT }}
      className={
        [
          bad ? "event-bad" : "",
          opened ? "event-opened" : "",
          moment === "now" ? "event-scrubbed" : moment === "later" ? "event-later" : "",
        ]
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
          <button type="button" className="link" onClick={() => onSelect(state.name)}>
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
          aria-pressed={opened}
          onClick={onToggle}
          data-testid="event-details-button"
        >
          {opened ? "Hide" : "Show"}
        </button>
      </td>
    </tr>
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
