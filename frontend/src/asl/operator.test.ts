import { describe, expect, it } from "vitest";
import { event } from "./fixtures";
import {
  approvalsOf,
  canRedrive,
  canStop,
  changesPendingTasks,
  displayStatuses,
  mergeRun,
} from "./operator";
import { reduceEvents } from "./runStatus";
import type { ExecutionSummary, PendingTask } from "./types";

function task(state_name: string, kind: PendingTask["kind"] = "callback"): PendingTask {
  return {
    task_token: `token-${state_name}`,
    kind,
    state_name,
    resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    input: {},
    created_at: "2026-01-01T00:00:00Z",
    deadline: null,
    heartbeat_deadline: null,
  };
}

function summary(
  id: string,
  start: string,
  status: ExecutionSummary["status"] = "RUNNING",
): ExecutionSummary {
  return { id, name: id, status, start_date: start, stop_date: null };
}

describe("run controls", () => {
  it("offer Stop only while the run is running", () => {
    expect(canStop("RUNNING")).toBe(true);
    expect(canStop("SUCCEEDED")).toBe(false);
    expect(canStop("ABORTED")).toBe(false);
  });

  it("offer Redrive for failed, timed out and aborted runs the server calls redrivable", () => {
    expect(canRedrive({ status: "FAILED", redriveStatus: "REDRIVABLE" })).toBe(true);
    expect(canRedrive({ status: "TIMED_OUT" })).toBe(true);
    expect(canRedrive({ status: "ABORTED", redriveStatus: "REDRIVABLE" })).toBe(true);
    expect(canRedrive({ status: "SUCCEEDED", redriveStatus: "REDRIVABLE" })).toBe(false);
    expect(canRedrive({ status: "RUNNING" })).toBe(false);
    expect(canRedrive({ status: "FAILED", redriveStatus: "NOT_REDRIVABLE" })).toBe(false);
  });
});

describe("approvals", () => {
  it("are the callback and activity tasks, not the ones Statecraft runs itself", () => {
    const call = { ...task("Call", "http"), resource: "arn:aws:states:::http:invoke" };
    const pending = [task("Ask"), task("Work", "activity"), call];
    expect(approvalsOf(pending).map((t) => t.state_name)).toEqual(["Ask", "Work"]);
  });

  it("include every .waitForTaskToken task, a Lambda's too (issue 9)", () => {
    const lambda = {
      ...task("Ask Lambda", "function"),
      resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    };
    const plain = { ...task("Run", "function"), resource: "arn:aws:states:::lambda:invoke" };
    expect(approvalsOf([lambda, plain]).map((t) => t.state_name)).toEqual(["Ask Lambda"]);
  });

  it("colour the running state they wait on as waiting, and nothing else", () => {
    const run = reduceEvents([
      event(1, "ExecutionStarted"),
      event(2, "PassStateEntered", { name: "Before" }),
      event(3, "PassStateExited", { name: "Before" }),
      event(4, "TaskStateEntered", { name: "Ask" }),
    ]);
    const statuses = displayStatuses(run, [task("Ask"), task("Elsewhere")]);
    expect(statuses["Ask"]).toBe("waiting");
    expect(statuses["Before"]).toBe("succeeded");
    expect(statuses["Elsewhere"]).toBeUndefined();
    expect(displayStatuses(run, [])["Ask"]).toBe("running");
  });

  it("colour the cards inside a Map or Parallel, found by the state's name", () => {
    const run = reduceEvents([
      event(1, "ExecutionStarted"),
      event(2, "MapStateEntered", { name: "Each line" }),
      event(3, "PassStateEntered", { name: "Price line" }),
      event(4, "PassStateExited", { name: "Price line" }),
      event(5, "TaskStateEntered", { name: "Ask inside" }),
    ]);
    const keys = [
      "Each line",
      "/States/Each line/ItemProcessor/States/Price line",
      "/States/Each line/ItemProcessor/States/Ask inside",
    ];
    const statuses = displayStatuses(run, [task("Ask inside")], keys);
    expect(statuses["/States/Each line/ItemProcessor/States/Price line"]).toBe("succeeded");
    expect(statuses["/States/Each line/ItemProcessor/States/Ask inside"]).toBe("waiting");
    expect(statuses["Each line"]).toBe("running");
  });

  it("are looked for again after task and state events, not after every event", () => {
    expect(changesPendingTasks("TaskScheduled")).toBe(true);
    expect(changesPendingTasks("TaskStateEntered")).toBe(true);
    expect(changesPendingTasks("ExecutionRedriven")).toBe(true);
    expect(changesPendingTasks("MapIterationStarted")).toBe(false);
    expect(changesPendingTasks("WaitStateExited")).toBe(true);
  });
});

describe("recent runs", () => {
  it("put a new run first and update a known one in place", () => {
    let runs = [summary("a", "2026-01-01T00:00:01Z"), summary("b", "2026-01-01T00:00:00Z")];
    runs = mergeRun(runs, summary("c", "2026-01-01T00:00:02Z"));
    expect(runs.map((r) => r.id)).toEqual(["c", "a", "b"]);
    runs = mergeRun(runs, summary("a", "2026-01-01T00:00:01Z", "SUCCEEDED"));
    expect(runs.map((r) => `${r.id}:${r.status}`)).toEqual([
      "c:RUNNING",
      "a:SUCCEEDED",
      "b:RUNNING",
    ]);
  });

  it("order runs by when they started whichever way the date is written", () => {
    const runs = mergeRun(
      [summary("z-utc", "2026-01-01T00:00:02Z")],
      summary("a-offset", "2026-01-01T01:00:01+01:00"),
    );
    expect(runs.map((r) => r.id)).toEqual(["z-utc", "a-offset"]);
  });

  it("keep only the newest runs", () => {
    const runs = mergeRun(
      [summary("old", "2026-01-01T00:00:00Z")],
      summary("new", "2026-01-02T00:00:00Z"),
      1,
    );
    expect(runs.map((r) => r.id)).toEqual(["new"]);
  });
});
