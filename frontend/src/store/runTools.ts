// The run view's tools beside the graph store: the server's statuses (on open, refreshed as live
// events arrive, at most once a second), the time-travel scrubber's moment, and the heat map.
import { create } from "zustand";
import { canvasStatus, runToolsApi, type GraphStatus, type HeatMap } from "../runToolsApi";
import type { StateStatus } from "../asl/types";
import { useGraph } from "./index";

const REFRESH_GAP_MS = 1000;

export type HeatMetric = "time" | "failures";

export interface RunTools {
  executionId: string | null;
  /** The latest statuses of the run; `shown` is what the canvas shows (an earlier moment). */
  live: GraphStatus | null;
  shown: GraphStatus | null;
  /** The event the scrubber stands on; null follows the run live. */
  scrubAt: number | null;
  error: string | null;
  heatOn: boolean;
  heatMetric: HeatMetric;
  heatLast: number;
  heat: HeatMap | null;
  heatError: string | null;
  open(id: string): void;
  close(): void;
  scrubTo(at: number | null): void;
  setHeat(change: Partial<Pick<RunTools, "heatOn" | "heatMetric" | "heatLast">>): void;
}

function colours(status: GraphStatus): Record<string, StateStatus> {
  return Object.fromEntries(
    Object.entries(status.states).map(([key, state]) => [key, canvasStatus(state.status)]),
  );
}

export const useRunTools = create<RunTools>()((set, get) => {
  let unsubscribe: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFetch = 0;
  let fetching = false;
  let again = false;
  // Answers can come back out of order: only the newest asked for is shown.
  let scrubRequest = 0;

  const show = (status: GraphStatus, past: boolean): void => {
    set({ shown: status });
    useGraph.getState().showServerStatuses({ statuses: colours(status), past });
  };

  const refreshLive = async (): Promise<void> => {
    const id = get().executionId;
    if (!id) return;
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    lastFetch = Date.now();
    try {
      const status = await runToolsApi.graphStatus(id);
      if (get().executionId !== id) return;
      set({ live: status, error: null });
      if (get().scrubAt === null) show(status, false);
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      fetching = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };

  /** At most one refresh per REFRESH_GAP_MS, however many events arrive; the last one counts. */
  const schedule = (): void => {
    if (timer !== undefined) return;
    const wait = Math.max(0, lastFetch + REFRESH_GAP_MS - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void refreshLive();
    }, wait);
  };

  const loadHeat = async (): Promise<void> => {
    const machine = useGraph.getState().machineName;
    if (!machine) return;
    try {
      const heat = await runToolsApi.heatMap(machine, get().heatLast);
      set({ heat, heatError: null });
    } catch (error) {
      set({ heat: null, heatError: error instanceof Error ? error.message : String(error) });
    }
  };

  return {
    executionId: null,
    live: null,
    shown: null,
    scrubAt: null,
    error: null,
    heatOn: false,
    heatMetric: "time",
    heatLast: 50,
    heat: null,
    heatError: null,

    open(id) {
      get().close();
      set({ executionId: id, live: null, shown: null, scrubAt: null, error: null });
      useGraph.getState().showServerStatuses(null);
      void refreshLive();
      // A live event (or the run's end) asks for the statuses again.
      unsubscribe = useGraph.subscribe((state, previous) => {
        if (
          state.run.lastEventId !== previous.run.lastEventId ||
          state.execution?.status !== previous.execution?.status
        )
          schedule();
      });
      if (get().heatOn) void loadHeat();
    },

    close() {
      unsubscribe?.();
      unsubscribe = null;
      clearTimeout(timer);
      timer = undefined;
      set({ executionId: null });
    },

    scrubTo(at) {
      const { executionId: id, live } = get();
      if (!id) return;
      if (at === null || (live && at >= live.lastEventId)) {
        set({ scrubAt: null });
        if (live) show(live, false);
        void refreshLive();
        return;
      }
      set({ scrubAt: at });
      const asked = ++scrubRequest;
      runToolsApi.graphStatus(id, at).then(
        (status) => {
          if (asked === scrubRequest && get().scrubAt !== null) show(status, true);
        },
        (error: unknown) => set({ error: error instanceof Error ? error.message : String(error) }),
      );
    },

    setHeat(change) {
      set(change);
      if (get().heatOn && (change.heatOn || change.heatLast !== undefined || !get().heat))
        void loadHeat();
    },
  };
});
