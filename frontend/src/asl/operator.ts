// What an operator can do to a run, and what the run view shows of it: which controls apply,
// which pending tasks are approvals, and the live list of a machine's recent runs.
import { keyInfo, type RunView } from "./runStatus";
import { addressOf } from "./scopes";
import type {
  Execution,
  ExecutionStatus,
  ExecutionSummary,
  PendingTask,
  StateStatus,
} from "./types";

export function canStop(status: ExecutionStatus): boolean {
  return status === "RUNNING";
}

/** The server has the last word (redriveStatus); older servers only tell the status. */
export function canRedrive(execution: Pick<Execution, "status" | "redriveStatus">): boolean {
  const ended = ["FAILED", "TIMED_OUT", "ABORTED"].includes(execution.status);
  return ended && execution.redriveStatus !== "NOT_REDRIVABLE";
}

/**
 * Tasks a person can answer: every `.waitForTaskToken` task, whatever its resource (a Lambda,
 * SQS, SNS or HTTP call that sends the token somewhere), and activities.
 */
export function approvalsOf(pending: PendingTask[]): PendingTask[] {
  return pending.filter(
    (task) =>
      task.waits_for_a_person === true ||
      task.kind === "callback" ||
      task.kind === "activity" ||
      task.resource.endsWith(".waitForTaskToken"),
  );
}

/** Events after which what the run waits for may have changed. */
export function changesPendingTasks(eventType: string): boolean {
  return (
    eventType.startsWith("Execution") ||
    eventType.startsWith("Task") ||
    eventType.startsWith("Activity") ||
    eventType.endsWith("StateEntered") ||
    eventType.endsWith("StateExited")
  );
}

/**
 * The colour of each state key: a running top-level state that an approval waits on is
 * "waiting" instead, so the eye finds where the run is stuck.
 */
export function displayStatuses(
  run: RunView,
  approvals: PendingTask[],
  /** The canvas's state keys; a state inside a Map or Parallel is found by its name. */
  graphKeys: string[] = [],
): Record<string, StateStatus> {
  // Names are unique across a machine (AWS requires it), so a name leads to one card.
  const byName = new Map(graphKeys.map((key) => [addressOf(key).name, key]));
  const statuses: Record<string, StateStatus> = {};
  for (const [key, state] of Object.entries(run.states)) {
    const { name, topLevel } = keyInfo(key);
    const card = topLevel ? key : (byName.get(name) ?? key);
    // A state run many times (a Map's iterations) shows running while any instance runs.
    if (statuses[card] !== "running") statuses[card] = state.status;
  }
  for (const task of approvals) {
    const card = byName.get(task.state_name) ?? task.state_name;
    if (statuses[card] === "running") statuses[card] = "waiting";
  }
  return statuses;
}

export const RECENT_RUNS_LIMIT = 100;

/** When a run started, in ms; the REST list and the WebSocket may write dates differently. */
function startedAt(run: ExecutionSummary): number {
  const time = run.start_date ? Date.parse(run.start_date) : NaN;
  return Number.isNaN(time) ? 0 : time;
}

/** Newest first; runs started at the same moment keep a stable order by id. */
function newerFirst(a: ExecutionSummary, b: ExecutionSummary): number {
  const byDate = startedAt(b) - startedAt(a);
  return byDate !== 0 ? byDate : a.id.localeCompare(b.id);
}

/** Adds a run to the list or updates the row it already has, keeping the newest. */
export function mergeRun(
  runs: ExecutionSummary[],
  summary: ExecutionSummary,
  limit = RECENT_RUNS_LIMIT,
): ExecutionSummary[] {
  const rest = runs.filter((run) => run.id !== summary.id);
  return [...rest, summary].sort(newerFirst).slice(0, limit);
}
