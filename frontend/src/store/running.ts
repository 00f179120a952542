// Running a machine and watching a run: starting it, following its events live, folding them
// into each state's status, and the operator's controls (stop, redrive, answering approvals).
import { api, followExecution, type EventStream } from "../api";
import { initialPositions } from "../asl/graph";
import { changesPendingTasks } from "../asl/operator";
import {
  applyEvent,
  emptyRun,
  isFinished,
  reduceEvents,
  topLevelNames,
  withServerOwners,
  type RunView,
} from "../asl/runStatus";
import { isObject, type Execution, type HistoryEvent } from "../asl/types";
import type { StoreContext } from "./context";
import { messageOf, prettyJson, snapshot } from "./derive";
import type { GraphStore } from "./types";

export type RunningPart = Pick<
  GraphStore,
  | "run"
  | "events"
  | "execution"
  | "runError"
  | "starting"
  | "pendingTasks"
  | "operating"
  | "operationError"
  | "loadExecution"
  | "startRun"
  | "resumeRun"
  | "receiveEvent"
  | "stopRun"
  | "redriveRun"
  | "answerTask"
  | "refreshPendingTasks"
>;

/**
 * The run view opens on the latest page of the history and follows new events from there; the
 * event table fetches older pages as they are scrolled to (components/olderEvents.ts). A run
 * of a million events thus opens as fast as a short one, and one of up to this many is whole.
 */
export const SNAPSHOT_EVENTS = 1000;
/** Live events kept in memory beyond which the oldest are let go (the table refetches them). */
const TAIL_MAX = 10_000;

/** The latest page of a run's history, in id order, with the state each event belongs to. */
async function latestEvents(
  id: string,
  lastEventId: number,
): Promise<{ events: HistoryEvent[]; owners: (string | null)[] }> {
  if (lastEventId <= 0) return { events: [], owners: [] };
  const page = await api.history(id, { before: lastEventId + 1, limit: SNAPSHOT_EVENTS });
  // The server sends them in id order; the owners are in the events' order.
  return { events: page.events, owners: page.owners ?? [] };
}

/**
 * The run as the latest page tells it. Its first events may belong to a state entered before
 * the page: the page's owners (from the server) name it.
 */
function snapshotRun(
  latest: { events: HistoryEvent[]; owners: (string | null)[] },
  definition: unknown,
  start?: RunView,
): RunView {
  return withServerOwners(
    reduceEvents(latest.events, start),
    latest.events,
    latest.owners,
    topLevelNames(definition),
  );
}

/** How often the run view asks what a running run waits for, besides asking after events. */
const PENDING_POLL_MS = 2000;
const PENDING_GAP_MS = 500;

export function runningPart({ set, get, update }: StoreContext): RunningPart {
  let stream: EventStream | null = null;
  let poll: ReturnType<typeof setInterval> | undefined;

  /** The final record carries the output, error and cause that the events only hint at. */
  const fetchFinalRecord = (id: string): void => {
    api.execution(id).then(
      (execution) => set({ execution: { ...get().execution, ...execution } }),
      () => undefined,
    );
  };

  const follow = (id: string): void => {
    stream?.close();
    stream = followExecution(id, {
      after: () => get().run.lastEventId,
      onEvent: (event) => get().receiveEvent(event),
      isDone: () => isFinished(get().run.execution),
      onGiveUp: () =>
        set({ runError: "Lost the live connection to this run. Reload the page to catch up." }),
    });
  };

  let resyncing = false;
  const resync = async (id: string): Promise<void> => {
    if (resyncing) return;
    resyncing = true;
    try {
      const execution = await api.execution(id);
      const page = await latestEvents(id, execution.last_event_id ?? 0);
      const latest = page.events;
      const { run, events } = get();
      const first = latest[0];
      if (!first || first.id > run.lastEventId + 1) {
        // Too far behind to join up: start again from the latest page, as on opening.
        if (latest.length > 0) update({ events: latest, run: snapshotRun(page, get().definition) });
      } else {
        const missed = latest.filter((event) => event.id > run.lastEventId);
        update({ events: [...events, ...missed], run: reduceEvents(missed, run) });
      }
      if (isFinished(get().run.execution)) fetchFinalRecord(id);
    } catch {
      // The live stream keeps going; the next gap tries again.
    } finally {
      resyncing = false;
    }
  };

  // One request at a time, at most one per PENDING_GAP_MS (a busy Map sends many events); a
  // refresh asked for meanwhile runs once, after the gap.
  let fetchingPending = false;
  let pendingAgain = false;
  let lastPendingFetch = 0;
  const refreshPendingTasks = async (): Promise<void> => {
    const id = get().execution?.id;
    if (!id) return;
    if (fetchingPending) {
      pendingAgain = true;
      return;
    }
    fetchingPending = true;
    const wait = lastPendingFetch + PENDING_GAP_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastPendingFetch = Date.now();
    try {
      const { pending_tasks } = await api.pendingTasks(id);
      if (get().execution?.id === id) update({ pendingTasks: pending_tasks });
    } catch {
      // The next event or poll asks again.
    } finally {
      fetchingPending = false;
      if (pendingAgain) {
        pendingAgain = false;
        void refreshPendingTasks();
      }
    }
  };

  const watchPendingTasks = (): void => {
    clearInterval(poll);
    poll = setInterval(() => {
      if (get().execution?.status === "RUNNING") void refreshPendingTasks();
    }, PENDING_POLL_MS);
  };

  /** The run view draws the version that ran, placed as it was saved then. */
  const showVersionOf = async (execution: Execution): Promise<void> => {
    const definition = isObject(execution.definition) ? execution.definition : {};
    const auto = await api.layoutOf(execution.state_machine, definition).catch(() => null);
    const positions = initialPositions(definition, auto, execution.layout ?? null);
    update({
      machineName: execution.state_machine,
      version: execution.version ?? 0,
      definition,
      codeText: prettyJson(definition),
      positions,
      savedSnapshot: snapshot(definition, positions),
      past: [],
      future: [],
    });
  };

  /** A stop or redrive answers with the new record; events then follow over the stream. */
  const operate = async (action: () => Promise<Execution>): Promise<void> => {
    set({ operating: true, operationError: null });
    try {
      const changed = await action();
      set({ operating: false, execution: { ...get().execution, ...changed } });
      // The stream gives up reconnecting once a run has ended; a redriven run goes on.
      if (changed.status === "RUNNING") follow(changed.id);
      void refreshPendingTasks();
    } catch (error) {
      set({ operating: false, operationError: messageOf(error) });
    }
  };

  return {
    run: emptyRun(),
    events: [],
    execution: null,
    runError: null,
    starting: false,
    pendingTasks: [],
    operating: false,
    operationError: null,

    async loadExecution(id) {
      set({ loading: true, loadError: null });
      try {
        const execution = await api.execution(id);
        await showVersionOf(execution);
        const latest = await latestEvents(id, execution.last_event_id ?? 0);
        update({
          loading: false,
          execution,
          events: latest.events,
          run: snapshotRun(latest, execution.definition),
        });
        follow(id);
        void refreshPendingTasks();
        watchPendingTasks();
      } catch (error) {
        set({ loading: false, loadError: messageOf(error) });
      }
    },

    async resumeRun(id) {
      try {
        const execution = await api.execution(id);
        // Only a run of the machine on the canvas: it is coloured on this graph.
        if (execution.state_machine !== get().machineName) return;
        const latest = await latestEvents(id, execution.last_event_id ?? 0);
        update({
          execution,
          events: latest.events,
          run: snapshotRun(latest, execution.definition),
          runError: null,
        });
        follow(id);
        watchPendingTasks();
      } catch {
        // The run is gone or not ours to see: the designer simply shows no run.
      }
    },

    async startRun(input, name) {
      const { machineName } = get();
      stream?.close();
      update({
        starting: true,
        runError: null,
        run: emptyRun(),
        events: [],
        execution: null,
        pendingTasks: [],
      });
      try {
        const execution = await api.start(machineName, input, name);
        set({ execution, starting: false });
        follow(execution.id);
        watchPendingTasks();
      } catch (error) {
        set({ starting: false, runError: messageOf(error) });
      }
    },

    receiveEvent(event) {
      const state = get();
      if (event.id <= state.run.lastEventId) return;
      if (event.id !== state.run.lastEventId + 1 && state.execution) {
        // A gap means a message was lost; the stored history is the truth, so start from it.
        void resync(state.execution.id);
        return;
      }
      const run = applyEvent(state.run, event);
      const execution =
        state.execution && run.execution
          ? { ...state.execution, status: run.execution }
          : state.execution;
      const kept =
        state.events.length >= TAIL_MAX ? state.events.slice(-TAIL_MAX / 2) : state.events;
      update({ run, events: [...kept, event], execution });
      if (isFinished(run.execution) && state.execution) fetchFinalRecord(state.execution.id);
      if (poll !== undefined && changesPendingTasks(event.type)) void refreshPendingTasks();
    },

    stopRun(reason) {
      const id = get().execution?.id;
      return id ? operate(() => api.stop(id, reason)) : Promise.resolve();
    },

    redriveRun() {
      const id = get().execution?.id;
      return id ? operate(() => api.redrive(id)) : Promise.resolve();
    },

    async answerTask(token, answer) {
      set({ operating: true });
      try {
        if ("output" in answer) await api.approve(token, answer.output);
        else await api.reject(token, answer.error, answer.cause);
        // Hide the answered task at once; the next refresh confirms what is still waited on.
        update({
          operating: false,
          pendingTasks: get().pendingTasks.filter((task) => task.task_token !== token),
        });
        return null;
      } catch (error) {
        set({ operating: false });
        return messageOf(error);
      } finally {
        void refreshPendingTasks();
      }
    },

    refreshPendingTasks,
  };
}
