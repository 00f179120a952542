import { describe, expect, it } from "vitest";
import { event } from "./fixtures";
import { countsStatus, innerStateCounts } from "./innerRuns";
import type { HistoryEvent } from "./types";

const e = (id: number, previous: number, type: string, name?: string): HistoryEvent =>
  event(id, type, name === undefined ? {} : { name }, previous);

// A Map over three items, as the engine writes it: item 1 succeeds through A, B, Ok; item 2
// takes B to Bad and fails; item 3 is aborted before it starts; the Map's Catch goes to After.
const MAP_RUN = [
  e(1, 0, "ExecutionStarted"),
  e(2, 1, "MapStateEntered", "M"),
  e(3, 2, "MapStateStarted"),
  e(4, 3, "MapIterationStarted"),
  e(5, 3, "MapIterationStarted"),
  e(6, 3, "MapIterationStarted"),
  e(7, 4, "PassStateEntered", "A"),
  e(8, 7, "PassStateExited", "A"),
  e(9, 8, "ChoiceStateEntered", "B"),
  e(10, 9, "ChoiceStateExited", "B"),
  e(11, 10, "PassStateEntered", "Ok"),
  e(12, 11, "PassStateExited", "Ok"),
  e(13, 12, "MapIterationSucceeded"),
  e(14, 5, "PassStateEntered", "A"),
  e(15, 14, "PassStateExited", "A"),
  e(16, 15, "ChoiceStateEntered", "B"),
  e(17, 16, "ChoiceStateExited", "B"),
  e(18, 17, "FailStateEntered", "Bad"),
  e(19, 18, "MapIterationFailed"),
  e(20, 6, "PassStateAborted"),
  e(21, 20, "MapIterationAborted"),
  e(22, 21, "MapStateFailed"),
  e(23, 22, "MapStateExited", "M"),
  e(24, 23, "PassStateEntered", "After"),
  e(25, 24, "PassStateExited", "After"),
  e(26, 25, "ExecutionSucceeded"),
];

describe("innerStateCounts", () => {
  it("counts each inner state over all the Map's iterations", () => {
    const counts = innerStateCounts(MAP_RUN, "M", true);
    expect(counts["A"]).toEqual({ running: 0, succeeded: 2, failed: 0 });
    expect(counts["B"]).toEqual({ running: 0, succeeded: 2, failed: 0 });
    expect(counts["Ok"]).toEqual({ running: 0, succeeded: 1, failed: 0 });
    expect(counts["Bad"]).toEqual({ running: 0, succeeded: 0, failed: 1 });
  });

  it("does not count the states after the Map as inside it", () => {
    const counts = innerStateCounts(MAP_RUN, "M", true);
    expect(counts["After"]).toBeUndefined();
    expect(Object.keys(innerStateCounts(MAP_RUN, "After", true))).toEqual([]);
  });

  it("shows iterations under way as running while the run goes on", () => {
    const counts = innerStateCounts(MAP_RUN.slice(0, 16), "M", false);
    expect(counts["A"]).toEqual({ running: 0, succeeded: 2, failed: 0 });
    expect(counts["B"]).toEqual({ running: 1, succeeded: 1, failed: 0 });
  });

  it("counts a state that was still running when the run stopped as failed", () => {
    const stopped = [...MAP_RUN.slice(0, 9), e(10, 9, "ExecutionAborted")];
    expect(innerStateCounts(stopped, "M", true)["B"]).toEqual({
      running: 0,
      succeeded: 0,
      failed: 1,
    });
  });

  it("keeps the branches of a Parallel inside it and counts a task's failure", () => {
    const counts = innerStateCounts(
      [
        e(1, 0, "ExecutionStarted"),
        e(2, 1, "ParallelStateEntered", "Both"),
        e(3, 2, "ParallelStateStarted"),
        e(4, 3, "PassStateEntered", "Left"),
        e(5, 3, "TaskStateEntered", "Right"),
        e(6, 4, "PassStateExited", "Left"),
        e(7, 5, "TaskScheduled"),
        e(8, 7, "TaskFailed"),
        e(9, 8, "ParallelStateFailed"),
        e(10, 9, "ExecutionFailed"),
      ],
      "Both",
      true,
    );
    expect(counts).toEqual({
      Left: { running: 0, succeeded: 1, failed: 0 },
      Right: { running: 0, succeeded: 0, failed: 1 },
    });
  });
});

describe("countsStatus", () => {
  it("shows running first, then failures, then success", () => {
    expect(countsStatus({ running: 1, succeeded: 3, failed: 1 })).toBe("running");
    expect(countsStatus({ running: 0, succeeded: 3, failed: 1 })).toBe("failed");
    expect(countsStatus({ running: 0, succeeded: 3, failed: 0 })).toBe("succeeded");
    expect(countsStatus(undefined)).toBe("idle");
  });
});
