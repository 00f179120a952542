// The machine's sample input (one for everyone, kept on the server: sample-input/) and the
// data each state would see on a run from it, as the server's engine computes it
// (data-shapes/). The path picker, the simulator and the run-input form read both.
import { useEffect } from "react";
import { create } from "zustand";
import { api } from "../api";
import type { Definition, JsonValue } from "../asl/types";

// Where an earlier Statecraft kept the sample, in this browser only: moved to the server once.
const legacyKey = (machine: string): string => `statecraft.sampleInput.${machine}`;

function takeLegacySample(machine: string): JsonValue | undefined {
  try {
    const text = window.localStorage.getItem(legacyKey(machine));
    return text === null ? undefined : (JSON.parse(text) as JsonValue);
  } catch {
    return undefined;
  }
}

// Edits arrive per keystroke of the form: the server gets the last of a quick run of them,
// and a page closed in between still sends it (keepalive outlives the page).
const SAVE_DELAY_MS = 400;
interface PendingSave {
  timer: ReturnType<typeof setTimeout>;
  send: (keepalive: boolean) => void;
}
const pendingSaves = new Map<string, PendingSave>();
const editedHere = new Set<string>(); // machines whose sample this page has set
window.addEventListener("pagehide", () => {
  for (const pending of [...pendingSaves.values()]) {
    clearTimeout(pending.timer);
    pending.send(true);
  }
});

interface SampleData {
  samples: Record<string, JsonValue | undefined>;
  /** The input of each state, by key, for the definition and sample in `shapesOf`. */
  shapes: Record<string, JsonValue>;
  /** The variables in scope when each state starts (what the states before it assigned). */
  scopedVariables: Record<string, Record<string, JsonValue>>;
  shapesOf: string | null;
  shapesError: string | null;
  /** Why the sample could not be read or kept (a viewer may not change it, say). */
  sampleError: string | null;
  loading: boolean;
  sampleOf(machine: string): JsonValue | undefined;
  setSample(machine: string, value: JsonValue | undefined): void;
  loadShapes(machine: string, definition: Definition): Promise<void>;
}

export const useSampleData = create<SampleData>()((set, get) => ({
  samples: {},
  shapes: {},
  scopedVariables: {},
  shapesOf: null,
  shapesError: null,
  sampleError: null,
  loading: false,
  sampleOf(machine) {
    const { samples } = get();
    if (machine in samples) return samples[machine];
    set({ samples: { ...samples, [machine]: undefined } });
    void api.sampleInput(machine).then(
      ({ input }) => {
        // An edit made while this was on its way is newer than the server's answer.
        if (editedHere.has(machine)) return;
        const legacy = input === null ? takeLegacySample(machine) : undefined;
        if (legacy !== undefined) get().setSample(machine, legacy);
        else set({ samples: { ...get().samples, [machine]: (input ?? undefined) as JsonValue } });
        window.localStorage.removeItem(legacyKey(machine));
      },
      (error: unknown) =>
        set({ sampleError: error instanceof Error ? error.message : String(error) }),
    );
    return undefined;
  },
  setSample(machine, value) {
    set({ samples: { ...get().samples, [machine]: value }, shapesOf: null, sampleError: null });
    editedHere.add(machine);
    clearTimeout(pendingSaves.get(machine)?.timer);
    const pending: PendingSave = {
      timer: setTimeout(() => pending.send(false), SAVE_DELAY_MS),
      send: (keepalive) => {
        if (pendingSaves.get(machine) !== pending) return; // a newer edit replaced this one
        pendingSaves.delete(machine);
        api
          .setSampleInput(machine, value, keepalive)
          .catch((error: unknown) =>
            set({ sampleError: error instanceof Error ? error.message : String(error) }),
          );
      },
    };
    pendingSaves.set(machine, pending);
  },
  async loadShapes(machine, definition) {
    const sample = get().sampleOf(machine);
    if (sample === undefined) return;
    const of = JSON.stringify([machine, definition, sample]);
    if (get().shapesOf === of) return;
    set({ loading: true });
    try {
      const answer = await api.dataShapes(machine, definition, sample);
      set({
        shapes: answer.states as Record<string, JsonValue>,
        scopedVariables: (answer.variables ?? {}) as Record<string, Record<string, JsonValue>>,
        shapesOf: of,
        shapesError: null,
      });
    } catch (error) {
      set({
        shapes: {},
        scopedVariables: {},
        shapesOf: of,
        shapesError: error instanceof Error ? error.message : "",
      });
    } finally {
      set({ loading: false });
    }
  },
}));

/** The machine's sample input, read once from the server (undefined until it answers). */
export function useSample(machine: string): JsonValue | undefined {
  const sampleOf = useSampleData((s) => s.sampleOf);
  useEffect(() => {
    if (machine) sampleOf(machine);
  }, [machine, sampleOf]);
  return useSampleData((s) => s.samples[machine]);
}
