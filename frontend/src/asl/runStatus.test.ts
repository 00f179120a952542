import { describe, expect, it } from "vitest";
import { event } from "./fixtures";
import { applyEvent, emptyRun, keyInfo, reduceEvents, stateKey, statusOf } from "./runStatus";

const entered = (id: number, type: string, name: string, input = "{}") =>
  event(id, `${type}StateEntered`, { name, input });
const exited = (id: number, type: string, name: string, output = "{}") =>
  event(id, `${type}StateExited`, { name, output });

describe("reduceEvents", () => {
  it("marks a state running when entered and succeeded when exited", () => {
    const running = reduceEvents([event(1, "ExecutionStarted"), entered(2, "Pass", "A")]);
    expect(statusOf(running, "A")).toBe("running");
    expect(running.execution).toBe("RUNNING");
    const done = reduceEvents([exited(3, "Pass", "A", '{"ok":true}')], running);
    expect(statusOf(done, "A")).toBe("succeeded");
    expect(done.states["A"]?.output).toBe('{"ok":true}');
    expect(done.states["A"]?.input).toBe("{}");
  });

  it("leaves states that never ran idle", () => {
    expect(statusOf(reduceEvents([event(1, "ExecutionStarted")]), "B")).toBe("idle");
  });

  it("blames the state in flight when the execution fails", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted"),
      entered(2, "Pass", "A"),
      exited(3, "Pass", "A"),
      entered(4, "Fail", "Stop"),
      event(5, "ExecutionFailed", { error: "Nope", cause: "because" }),
    ]);
    expect(statusOf(view, "A")).toBe("succeeded");
    expect(statusOf(view, "Stop")).toBe("failed");
    expect(view.states["Stop"]?.error).toBe("Nope");
    expect(view.states["Stop"]?.cause).toBe("because");
    expect(view.execution).toBe("FAILED");
  });

  it("marks a task failure that a Catch handled as caught", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted"),
      entered(2, "Task", "Charge"),
      event(3, "TaskScheduled", { resource: "charge" }),
      event(4, "TaskFailed", { error: "CardDeclined", cause: "no funds" }),
      entered(5, "Pass", "Apologise"),
      exited(6, "Pass", "Apologise"),
      event(7, "ExecutionSucceeded", { output: "{}" }),
    ]);
    expect(statusOf(view, "Charge")).toBe("caught");
    expect(view.states["Charge"]?.error).toBe("CardDeclined");
    expect(statusOf(view, "Apologise")).toBe("succeeded");
    expect(view.execution).toBe("SUCCEEDED");
  });

  it("finds the failing state by following previousEventId, not by arrival order", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted"),
      event(2, "ParallelStateEntered", { name: "Both" }, 1),
      entered(3, "Task", "Left"),
      entered(4, "Task", "Right"),
      event(5, "TaskScheduled", {}, 3),
      event(6, "TaskFailed", { error: "Boom" }, 5),
      event(7, "ExecutionFailed", { error: "Boom" }, 6),
    ]);
    const left = stateKey(1, "Left");
    expect(view.states[left]?.status).toBe("failed");
    expect(view.states[left]?.error).toBe("Boom");
    expect(view.owners[6]).toBe(left);
    expect(keyInfo(left)).toEqual({ name: "Left", topLevel: false });
  });

  it("turns a retried failure back to running and then succeeded", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted"),
      entered(2, "Task", "Flaky"),
      event(3, "TaskScheduled"),
      event(4, "TaskFailed", { error: "Timeout" }),
      event(5, "TaskScheduled"),
      event(6, "TaskSucceeded"),
      exited(7, "Task", "Flaky"),
    ]);
    expect(statusOf(view, "Flaky")).toBe("succeeded");
  });

  it("ignores events it has already seen, so a replay changes nothing", () => {
    const once = reduceEvents([
      event(1, "ExecutionStarted"),
      entered(2, "Pass", "A"),
      exited(3, "Pass", "A"),
    ]);
    const replayed = applyEvent(once, entered(2, "Pass", "A"));
    expect(replayed).toBe(once);
    expect(statusOf(replayed, "A")).toBe("succeeded");
  });

  it("applies events in id order whatever order they come in", () => {
    const view = reduceEvents([
      exited(3, "Pass", "A"),
      entered(2, "Pass", "A"),
      event(1, "ExecutionStarted"),
    ]);
    expect(statusOf(view, "A")).toBe("succeeded");
    expect(view.lastEventId).toBe(3);
  });

  it("keeps JSON values of non-text input as JSON text", () => {
    const view = applyEvent(
      emptyRun(),
      event(1, "PassStateEntered", { name: "A", input: { n: 1 } }),
    );
    expect(view.states["A"]?.input).toBe('{"n":1}');
  });
});

describe("failures of Map and Parallel states", () => {
  it("blames the Parallel, not the inner state its failure event follows, and sees the catch", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted", {}, 0),
      entered(2, "Parallel", "Both"),
      event(3, "ParallelStateStarted", {}, 2),
      event(4, "PassStateEntered", { name: "Fine" }, 3),
      event(5, "PassStateExited", { name: "Fine" }, 4),
      event(6, "FailStateEntered", { name: "Broken" }, 3),
      event(7, "ParallelStateFailed", {}, 6),
      event(8, "ParallelStateExited", { name: "Both" }, 7),
      entered(9, "Pass", "Recover"),
      exited(10, "Pass", "Recover"),
      event(11, "ExecutionSucceeded", {}, 10),
    ]);
    expect(statusOf(view, "Both")).toBe("caught");
    expect(view.owners[7]).toBe("Both");
    expect(statusOf(view, "Recover")).toBe("succeeded");
  });

  it("picks the innermost running Map when Maps are nested", () => {
    const view = reduceEvents([
      entered(1, "Map", "Outer"),
      entered(2, "Map", "Inner"),
      event(3, "FailStateEntered", { name: "Oops" }, 2),
      event(4, "MapStateFailed", {}, 3),
    ]);
    expect(view.states[stateKey(1, "Inner")]?.status).toBe("failed");
    expect(statusOf(view, "Outer")).toBe("running");
  });
});

describe("states inside a Map or Parallel", () => {
  it("never colour a top-level state of the same name", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted", {}, 0),
      entered(2, "Pass", "Check"),
      exited(3, "Pass", "Check"),
      entered(4, "Map", "Each item"),
      event(5, "MapIterationStarted", { name: "Each item", index: 0 }, 4),
      entered(6, "Task", "Check"),
      event(7, "TaskFailed", { error: "Bad item" }, 6),
      event(8, "MapIterationFailed", { name: "Each item", index: 0 }, 7),
      event(9, "MapStateFailed", {}, 8),
      event(10, "ExecutionFailed", { error: "Bad item" }, 9),
    ]);
    expect(statusOf(view, "Check")).toBe("succeeded");
    expect(view.states[stateKey(1, "Check")]?.status).toBe("failed");
    expect(statusOf(view, "Each item")).toBe("failed");
    expect(keyInfo(view.owners[8] ?? "")).toEqual({ name: "Each item", topLevel: true });
  });

  it("go back to the top level once their container exits", () => {
    const view = reduceEvents([
      entered(1, "Parallel", "Both"),
      entered(2, "Pass", "Inner"),
      exited(3, "Pass", "Inner"),
      exited(4, "Parallel", "Both"),
      entered(5, "Pass", "After"),
    ]);
    expect(view.open).toEqual([]);
    expect(statusOf(view, "After")).toBe("running");
    expect(statusOf(view, "Both")).toBe("succeeded");
  });
});

describe("a redriven run", () => {
  it("goes back to running and colours the re-entered state afresh, not as caught", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted"),
      entered(2, "Pass", "A"),
      exited(3, "Pass", "A"),
      entered(4, "Wait", "Pause"),
      event(5, "ExecutionAborted", { error: "Stopped" }),
    ]);
    expect(statusOf(view, "Pause")).toBe("failed");
    const redriven = reduceEvents(
      [event(6, "ExecutionRedriven", { redriveCount: 1 }), entered(7, "Wait", "Pause")],
      view,
    );
    expect(redriven.execution).toBe("RUNNING");
    expect(statusOf(redriven, "Pause")).toBe("running");
    expect(statusOf(redriven, "A")).toBe("succeeded");
    const done = reduceEvents(
      [exited(8, "Wait", "Pause"), event(9, "ExecutionSucceeded")],
      redriven,
    );
    expect(statusOf(done, "Pause")).toBe("succeeded");
    expect(done.execution).toBe("SUCCEEDED");
  });
});

describe("a redriven Parallel", () => {
  it("does not show its aborted inner state as caught when it is re-entered", () => {
    const view = reduceEvents([
      event(1, "ExecutionStarted"),
      entered(2, "Parallel", "Both"),
      entered(3, "Wait", "Slow"),
      event(4, "ExecutionAborted"),
      event(5, "ExecutionRedriven", { redriveCount: 1 }),
      entered(6, "Parallel", "Both"),
    ]);
    expect(statusOf(view, "Both")).toBe("running");
    expect(statusOf(view, stateKey(1, "Slow"))).toBe("idle");
    expect(view.open).toEqual(["Both"]);
  });
});

describe("a Map's iterations", () => {
  const e = (id: number, previous: number, type: string, name?: string) =>
    event(id, type, name === undefined ? {} : { name }, previous);
  const started = [
    e(1, 0, "ExecutionStarted"),
    e(2, 1, "MapStateEntered", "M"),
    e(3, 2, "MapStateStarted"),
    e(4, 3, "MapIterationStarted"),
    e(5, 3, "MapIterationStarted"),
    e(6, 4, "PassStateEntered", "A"),
    e(7, 6, "PassStateExited", "A"),
    e(8, 7, "MapIterationSucceeded"),
    e(9, 5, "FailStateEntered", "Bad"),
  ];

  it("are counted on the Map as they start, succeed and fail", () => {
    expect(reduceEvents(started).iterations["M"]).toEqual({
      running: 1,
      succeeded: 1,
      failed: 0,
    });
    const failed = reduceEvents([e(10, 9, "MapIterationFailed")], reduceEvents(started));
    expect(failed.iterations["M"]).toEqual({ running: 0, succeeded: 1, failed: 1 });
  });

  it("count the iterations a stop cut short as failed", () => {
    const stopped = reduceEvents([e(10, 9, "ExecutionAborted")], reduceEvents(started));
    expect(stopped.iterations["M"]).toEqual({ running: 0, succeeded: 1, failed: 1 });
  });

  it("are not counted for states that are not Maps", () => {
    expect(Object.keys(reduceEvents(started).iterations)).toEqual(["M"]);
  });
});
