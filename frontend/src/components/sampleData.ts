// The machine's sample input (given once, kept in this browser) and the data each state would
// see on a run from it, as the server's engine computes it (data-shapes/). The path picker and
// the run-input form read both.
import { useEffect } from "react";
import { create } from "zustand";
import { api } from "../api";
import type { Definition, JsonValue } from "../asl/types";

const storageKey = (machine: string): string => `statecraft.sampleInput.${machine}`;

function readSample(machine: string): JsonValue | undefined {
  try {
    const text = window.localStorage.getItem(storageKey(machine));
    return text === null ? undefined : (JSON.parse(text) as JsonValue);
  } catch {
    return undefined;
  }
}

interface SampleData {
  samples: Record<string, JsonValue | undefined>;
  /** The input of each state, by key, for the definition and sample in `shapesOf`. */
  shapes: Record<string, JsonValue>;
  /** The variables in scope when each state starts (what the states before it assigned). */
  scopedVariables: Record<string, Record<string, JsonValue>>;
  shapesOf: string | null;
  shapesError: string | null;
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
  loading: false,
  sampleOf(machine) {
    const { samples } = get();
    if (machine in samples) return samples[machine];
    const found = readSample(machine);
    set({ samples: { ...samples, [machine]: found } });
    return found;
  },
  setSample(machine, value) {
    if (value === undefined) window.localStorage.removeItem(storageKey(machine));
    else window.localStorage.setItem(storageKey(machine), JSON.stringify(value));
    set({ samples: { ...get().samples, [machine]: value }, shapesOf: null });
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

/** The machine's sample input, read once from this browser. */
export function useSample(machine: string): JsonValue | undefined {
  const sampleOf = useSampleData((s) => s.sampleOf);
  useEffect(() => {
    if (machine) sampleOf(machine);
  }, [machine, sampleOf]);
  return useSampleData((s) => s.samples[machine]);
}
