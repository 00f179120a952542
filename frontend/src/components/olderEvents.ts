// The events older than those the store holds, fetched a page at a time as the event table
// scrolls to them (GET history/?before=ID). The store keeps only the latest events of a run,
// so a run of a million events never sits whole in the browser; a few pages are kept here,
// the ones farthest from the view let go first.
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api";
import { ownerKey } from "../asl/runStatus";
import type { HistoryEvent } from "../asl/types";

/** Events per fetched page; page p holds ids p·PAGE+1 … (p+1)·PAGE. */
export const PAGE = 500;
/** Pages kept at most: 40 × 500 events. */
const KEPT_PAGES = 40;
/** A drag of the scrollbar across the history asks only for where it stops. */
const SETTLE_MS = 120;

interface Page {
  byId: Map<number, HistoryEvent>;
  /**
   * Which state each event belongs to, as the server names it: the page alone cannot tell
   * for an event whose state was entered before the page.
   */
  owners: Map<number, string>;
}

export function pageOf(id: number): number {
  return Math.floor((id - 1) / PAGE);
}

/** The pages (by number) holding ids first … last that lie before the store's own events. */
export function pagesToFetch(first: number, last: number, storeStart: number): number[] {
  const pages: number[] = [];
  const end = Math.min(last, storeStart - 1);
  if (first > end) return pages;
  for (let page = pageOf(first); page <= pageOf(end); page++) pages.push(page);
  return pages;
}

export interface OlderEvents {
  event(id: number): HistoryEvent | undefined;
  owner(id: number): string | undefined;
  /** Asks for the events first … last (ids); they arrive a moment later. */
  want(first: number, last: number): void;
  failed: boolean;
}

export function useOlderEvents(
  executionId: string | null,
  storeStart: number,
  topLevel: ReadonlySet<string>,
): OlderEvents {
  const pages = useRef(new Map<number, Page | "loading">());
  const [, redraw] = useState(0);
  const [failed, setFailed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    pages.current = new Map();
    redraw((n) => n + 1);
    return () => clearTimeout(timer.current);
  }, [executionId]);

  const fetchPage = useCallback(
    async (id: string, page: number): Promise<void> => {
      pages.current.set(page, "loading");
      try {
        const { events, owners } = await api.history(id, {
          before: (page + 1) * PAGE + 1,
          limit: PAGE,
        });
        if (executionId !== id) return;
        const named = new Map<number, string>();
        events.forEach((event, index) => {
          const name = owners?.[index];
          if (typeof name === "string") named.set(event.id, ownerKey(name, topLevel));
        });
        pages.current.set(page, {
          byId: new Map(events.map((event) => [event.id, event])),
          owners: named,
        });
        setFailed(false);
      } catch {
        pages.current.delete(page);
        setFailed(true);
      }
      redraw((n) => n + 1);
    },
    [executionId, topLevel],
  );

  const want = useCallback(
    (first: number, last: number): void => {
      clearTimeout(timer.current);
      const id = executionId;
      if (!id) return;
      const missing = pagesToFetch(first, last, storeStart).filter((p) => !pages.current.has(p));
      if (missing.length === 0) return;
      timer.current = setTimeout(() => {
        const centre = pageOf(Math.floor((first + last) / 2));
        const kept = [...pages.current.keys()].sort(
          (a, b) => Math.abs(b - centre) - Math.abs(a - centre),
        );
        while (kept.length + missing.length > KEPT_PAGES && kept.length > 0) {
          pages.current.delete(kept.shift() as number);
        }
        for (const page of missing) void fetchPage(id, page);
      }, SETTLE_MS);
    },
    [executionId, storeStart, fetchPage],
  );

  const found = (id: number): Page | undefined => {
    const page = pages.current.get(pageOf(id));
    return page === "loading" ? undefined : page;
  };
  return {
    event: (id) => found(id)?.byId.get(id),
    owner: (id) => found(id)?.owners.get(id),
    want,
    failed,
  };
}
