import { describe, expect, it } from "vitest";
import { visibleRange } from "./EventTable";

describe("the event table's window", () => {
  it("draws a short history whole", () => {
    expect(visibleRange(0, 600, 40)).toEqual({ first: 0, last: 40 });
  });

  it("draws only the rows near the view of a long history", () => {
    const { first, last } = visibleRange(30_000 * 30, 600, 1_000_000);
    expect(first).toBe(30_000 - 100);
    expect(last).toBe(30_000 + 20 + 100);
    expect(last - first).toBeLessThan(300);
  });

  it("stops at the end of the history", () => {
    expect(visibleRange(999_990 * 30, 600, 1_000_000).last).toBe(1_000_000);
  });
});
