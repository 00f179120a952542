import { describe, expect, it } from "vitest";
import { MAX_SCROLL_HEIGHT, scrollTopFor, visibleRange } from "./EventTable";
import { pageOf, pagesToFetch } from "./olderEvents";

describe("the event table's window", () => {
  it("draws a short history whole", () => {
    expect(visibleRange(0, 600, 40)).toEqual({ first: 0, last: 40, top: 0, height: 1200 });
  });

  it("draws only the rows near the view of a long history", () => {
    const { first, last, top } = visibleRange(30_000 * 30, 600, 100_000);
    expect(first).toBe(30_000 - 100);
    expect(last).toBe(30_000 + 20 + 100);
    expect(top).toBe(first * 30);
  });

  it("stands for a million rows with a scrollbar browsers can draw, first to last", () => {
    const count = 1_000_000;
    const start = visibleRange(0, 600, count);
    expect(start.height).toBe(MAX_SCROLL_HEIGHT);
    expect(start.first).toBe(0);
    const end = visibleRange(MAX_SCROLL_HEIGHT - 600, 600, count);
    expect(end.last).toBe(count);
    // The last row ends where the view does.
    expect(end.top + (end.last - end.first) * 30).toBeCloseTo(MAX_SCROLL_HEIGHT, 5);
    const middle = visibleRange((MAX_SCROLL_HEIGHT - 600) / 2, 600, count);
    expect(middle.first + 100).toBeGreaterThan(499_000);
    expect(middle.last - middle.first).toBeLessThan(300);
  });
});

describe("bringing the scrubber's event into view", () => {
  it("scrolls to a position whose drawn rows hold that event, at any length", () => {
    for (const count of [40, 5_000, 1_000_000]) {
      for (const row of [0, Math.floor(count / 2), count - 1]) {
        const { first, last } = visibleRange(scrollTopFor(row, 600, count), 600, count);
        expect(first).toBeLessThanOrEqual(row);
        expect(last).toBeGreaterThan(row);
      }
    }
  });
});

describe("the pages of older events", () => {
  it("fetches only pages before the events the store holds", () => {
    expect(pageOf(1)).toBe(0);
    expect(pageOf(500)).toBe(0);
    expect(pageOf(501)).toBe(1);
    expect(pagesToFetch(450, 1100, 999_001)).toEqual([0, 1, 2]);
    expect(pagesToFetch(999_100, 999_200, 999_001)).toEqual([]);
    expect(pagesToFetch(998_400, 999_200, 999_001)).toEqual([1996, 1997]);
  });
});
