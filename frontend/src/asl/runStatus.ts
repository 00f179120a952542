// Folds a stream of AWS-shaped history events into what the canvas shows: one status per state,
// the latest input/output of each state, and the execution's own status.
import {
  eventDetails,
  isObject,
  type ExecutionStatus,
  type HistoryEvent,
  type StateStatus,
} from "./types";

export interface StateRun {
  status: StateStatus;
  /** The state's type as its Entered event names it (ParallelStateEntered → Parallel). */
  type: string;
  /** The id of its latest Entered event: among states of a type, the innermost is the latest. */
  enteredAt: number;
  input: string | null;
  output: string | null;
  error: string | null;
  cause: string | null;
}

export interface RunView {
  /**
   * Keyed by stateKey(depth, name): top-level states by their name alone, states inside a Map
   * or Parallel with their depth too, so an inner state never colours a top-level namesake.
   */
  states: Record<string, StateRun>;
  /** The Map and Parallel states whose inner states are running, outermost first. */
  open: string[];
  execution: ExecutionStatus | null;
  lastEventId: number;
  /** Which state (key) each event belongs to, following previousEventId back to an Entered. */
  owners: Record<number, string>;
  /** Each Map's iterations over the run (all its entries and attempts), by the Map's key. */
  iterations: Record<string, IterationCounts>;
}

export interface IterationCounts {
  running: number;
  succeeded: number;
  failed: number;
}

export function emptyRun(): RunView {
  return { states: {}, open: [], execution: null, lastEventId: 0, owners: {}, iterations: {} };
}

const DEPTH_MARK = "\u0000";

export function stateKey(depth: number, name: string): string {
  return depth === 0 ? name : `${depth}${DEPTH_MARK}${name}`;
}

/** The state name of a key, and whether it is a top-level state (one with a node). */
export function keyInfo(key: string): { name: string; topLevel: boolean } {
  const mark = key.indexOf(DEPTH_MARK);
  return mark < 0 ? { name: key, topLevel: true } : { name: key.slice(mark + 1), topLevel: false };
}

/** The key of the innermost state seen with this name. */
function keyOf(view: Pick<RunView, "states" | "open">, name: string): string {
  for (let depth = view.open.length; depth > 0; depth--) {
    const key = stateKey(depth, name);
    if (view.states[key]) return key;
  }
  return name;
}

/** Closes a container and any opened inside it. */
function close(open: string[], key: string): string[] {
  const at = open.indexOf(key);
  return at < 0 ? open : open.slice(0, at);
}

const CONTAINERS = new Set(["Map", "Parallel"]);

/** How many containers deep a key's state is (0 at the top level). */
function depthOf(key: string): number {
  const mark = key.indexOf(DEPTH_MARK);
  return mark < 0 ? 0 : Number(key.slice(0, mark));
}

const ITERATION_OUTCOMES: Record<string, keyof IterationCounts | undefined> = {
  MapIterationSucceeded: "succeeded",
  MapIterationFailed: "failed",
  MapIterationAborted: "failed",
};

/**
 * Counts a Map's iteration events. An iteration's start follows the Map's own events; its end
 * follows its last inner state, whose container is the Map open at the depth above it.
 */
function countIteration(
  view: RunView,
  type: string,
  owner: string | undefined,
): RunView["iterations"] {
  if (type === "ExecutionFailed" || type === "ExecutionTimedOut" || type === "ExecutionAborted") {
    // Iterations cut short by the run's end did not succeed.
    return Object.fromEntries(
      Object.entries(view.iterations).map(([map, c]) => [
        map,
        { running: 0, succeeded: c.succeeded, failed: c.failed + c.running },
      ]),
    );
  }
  if (owner === undefined || !type.startsWith("MapIteration")) return view.iterations;
  const ownerIsOpenMap = view.states[owner]?.type === "Map" && view.open.includes(owner);
  const map = ownerIsOpenMap ? owner : view.open[depthOf(owner) - 1];
  if (map === undefined) return view.iterations;
  const counts = view.iterations[map] ?? { running: 0, succeeded: 0, failed: 0 };
  const outcome = ITERATION_OUTCOMES[type];
  let next = counts;
  if (type === "MapIterationStarted") next = { ...counts, running: counts.running + 1 };
  else if (outcome)
    next = { ...counts, running: Math.max(0, counts.running - 1), [outcome]: counts[outcome] + 1 };
  return next === counts ? view.iterations : { ...view.iterations, [map]: next };
}

const EXECUTION_OUTCOMES: Record<string, ExecutionStatus> = {
  ExecutionStarted: "RUNNING",
  ExecutionSucceeded: "SUCCEEDED",
  ExecutionFailed: "FAILED",
  ExecutionTimedOut: "TIMED_OUT",
  ExecutionAborted: "ABORTED",
};

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isStateFailure(type: string): boolean {
  return !type.startsWith("Execution") && (type.endsWith("Failed") || type.endsWith("TimedOut"));
}

/**
 * A Map or Parallel's own failure event follows the inner event that caused it, so the
 * previousEventId chain leads inside; the failing state is the innermost running one of that type.
 */
function failingContainer(states: Record<string, StateRun>, type: string): string | undefined {
  if (!type.endsWith("StateFailed")) return undefined;
  const kind = type.slice(0, -"StateFailed".length);
  let found: [string, StateRun] | undefined;
  for (const entry of Object.entries(states)) {
    const run = entry[1];
    if (run.type !== kind || run.status !== "running") continue;
    if (!found || run.enteredAt > found[1].enteredAt) found = entry;
  }
  return found?.[0];
}

/** A retry shows up as the work being scheduled or started again after a failure. */
function isRetry(type: string): boolean {
  return !type.startsWith("Execution") && (type.endsWith("Scheduled") || type.endsWith("Started"));
}

/** Applies one event; events already seen (id ≤ lastEventId) are ignored, so replays are safe. */
export function applyEvent(view: RunView, event: HistoryEvent): RunView {
  if (event.id <= view.lastEventId) return view;
  const states = { ...view.states };
  const owners = { ...view.owners };
  const details = eventDetails(event);
  const name = typeof details["name"] === "string" ? details["name"] : null;
  const entering = event.type.endsWith("StateEntered") && name !== null;
  const key =
    name === null ? null : entering ? stateKey(view.open.length, name) : keyOf(view, name);
  const owner =
    key ??
    failingContainer(states, event.type) ??
    (event.previousEventId !== null ? owners[event.previousEventId] : undefined);
  let open = view.open;
  const touch = (state: string): StateRun =>
    states[state] ?? {
      status: "idle",
      type: "",
      enteredAt: 0,
      input: null,
      output: null,
      error: null,
      cause: null,
    };
  let execution = view.execution;

  if (entering && key) {
    // A state entered after another one failed means the failure was caught.
    for (const [other, run] of Object.entries(states)) {
      if (run.status === "failed" && other !== key) states[other] = { ...run, status: "caught" };
    }
    const type = event.type.slice(0, -"StateEntered".length);
    states[key] = {
      ...touch(key),
      status: "running",
      type,
      enteredAt: event.id,
      input: text(details["input"]),
      output: null,
    };
    if (CONTAINERS.has(type)) open = [...open, key];
  } else if (event.type.endsWith("StateExited") && key) {
    const previous = touch(key);
    const status = previous.status === "failed" ? "caught" : "succeeded";
    states[key] = { ...previous, status, output: text(details["output"]) };
    open = close(open, key);
  } else if (event.type === "ExecutionRedriven") {
    // The redriven attempt re-enters what did not succeed; until then those states are idle,
    // so a re-entry does not read as a caught failure. Their error and cause stay to be read.
    execution = "RUNNING";
    open = [];
    for (const [state, run] of Object.entries(states)) {
      if (run.status === "failed") states[state] = { ...run, status: "idle" };
    }
  } else if (event.type in EXECUTION_OUTCOMES) {
    execution = EXECUTION_OUTCOMES[event.type] ?? execution;
    if (execution === "FAILED" || execution === "TIMED_OUT" || execution === "ABORTED") {
      // The states still in flight when the run ends are the ones at fault.
      for (const [state, run] of Object.entries(states)) {
        if (run.status === "running") states[state] = { ...run, status: "failed" };
      }
      if (owner && states[owner]) {
        // A Fail state's error and cause only appear on the execution's own failure event.
        const run = touch(owner);
        states[owner] = {
          ...run,
          status: "failed",
          error: run.error ?? text(details["error"]),
          cause: run.cause ?? text(details["cause"]),
        };
      }
    }
  } else if (owner && isStateFailure(event.type)) {
    states[owner] = {
      ...touch(owner),
      status: "failed",
      error: text(details["error"]),
      cause: text(details["cause"]),
    };
    if (event.type.endsWith("StateFailed")) open = close(open, owner);
  } else if (owner && isRetry(event.type) && states[owner]?.status === "failed") {
    states[owner] = { ...touch(owner), status: "running" };
  }
  if (owner) owners[event.id] = owner;
  const iterations = countIteration(view, event.type, owner);
  return { states, open, execution, lastEventId: event.id, owners, iterations };
}

/** The names of a definition's top-level states. */
export function topLevelNames(definition: unknown): Set<string> {
  const states = isObject(definition) && isObject(definition["States"]) ? definition["States"] : {};
  return new Set(Object.keys(states));
}

/**
 * The key of a state the server named as an event's owner (history pages carry `owners`
 * beside the events). The server names states only, not their depth: a name of the
 * definition's top level is taken as that state, any other as an inner one.
 */
export function ownerKey(name: string, topLevel: ReadonlySet<string>): string {
  return topLevel.has(name) ? name : stateKey(1, name);
}

/** Fills in the owners the events alone could not tell (their state was entered earlier). */
export function withServerOwners(
  view: RunView,
  events: HistoryEvent[],
  names: (string | null)[] | undefined,
  topLevel: ReadonlySet<string>,
): RunView {
  if (!names) return view;
  const owners = { ...view.owners };
  events.forEach((event, index) => {
    const name = names[index];
    if (owners[event.id] === undefined && typeof name === "string") {
      owners[event.id] = ownerKey(name, topLevel);
    }
  });
  return { ...view, owners };
}

export function reduceEvents(events: HistoryEvent[], start: RunView = emptyRun()): RunView {
  return [...events].sort((a, b) => a.id - b.id).reduce(applyEvent, start);
}

export function statusOf(view: RunView, state: string): StateStatus {
  return view.states[state]?.status ?? "idle";
}

export function isFinished(status: ExecutionStatus | null): boolean {
  return status !== null && status !== "RUNNING";
}

/** "3 iterations: 1 running · 2 succeeded", for a Map's card. */
export function iterationText({ running, succeeded, failed }: IterationCounts): string {
  const total = running + succeeded + failed;
  const parts = [
    running ? `${running} running` : "",
    succeeded ? `${succeeded} succeeded` : "",
    failed ? `${failed} failed` : "",
  ].filter(Boolean);
  return `${total} iteration${total === 1 ? "" : "s"}: ${parts.join(" · ")}`;
}
