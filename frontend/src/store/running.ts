// Running a machine and watching a run: starting it, following its events live, and folding
// them into each state's status.
import { api, followExecution, type EventStream } from "../api";
import { applyEvent, emptyRun, isFinished, reduceEvents } from "../asl/runStatus";
import type { StoreContext } from "./context";
import { messageOf } from "./derive";
import type { GraphStore } from "./types";

export type RunningPart = Pick<
  GraphStore,
  | "run"
  | "events"
  | "execution"
  | "runError"
  | "starting"
  | "loadExecution"
  | "startRun"
  | "receiveEvent"
>;

export function runningPart({ set, get, update }: StoreContext): RunningPart {
  let stream: EventStream | null = null;

  /** The final record carries the output, error and cause that the events only hint at. */
  const fetchFinalRecord = (id: string): void => {
    api.execution(id).then(
      (execution) => set({ execution }),
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
      const { events } = await api.history(id);
      const sorted = [...events].sort((a, b) => a.id - b.id);
      if (sorted.length >= get().events.length) {
        const run = reduceEvents(sorted);
        update({ events: sorted, run });
        if (isFinished(run.execution)) fetchFinalRecord(id);
      }
    } catch {
      // The live stream keeps going; the next gap tries again.
    } finally {
      resyncing = false;
    }
  };

  return {
    run: emptyRun(),
    events: [],
    execution: null,
    runError: null,
    starting: false,

    async loadExecution(id) {
      set({ loading: true, loadError: null });
      try {
        const execution = await api.execution(id);
        await get().loadMachine(execution.state_machine);
        const { events } = await api.history(id);
        const sorted = [...events].sort((a, b) => a.id - b.id);
        update({ execution, events: sorted, run: reduceEvents(sorted) });
        follow(id);
      } catch (error) {
        set({ loading: false, loadError: messageOf(error) });
      }
    },

    async startRun(input) {
      const { machineName } = get();
      stream?.close();
      update({ starting: true, runError: null, run: emptyRun(), events: [], execution: null });
      try {
        const execution = await api.start(machineName, input);
        set({ execution, starting: false });
        follow(execution.id);
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
      update({ run, events: [...state.events, event], execution });
      if (isFinished(run.execution) && state.execution) fetchFinalRecord(state.execution.id);
    },
  };
}
