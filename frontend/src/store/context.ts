// The store's parts share these: reading and writing its state, and rebuilding the graph.
import type { GraphStore } from "./types";
import { graphOf } from "./derive";

export interface StoreContext {
  set(partial: Partial<GraphStore>): void;
  get(): GraphStore;
  /** Applies new state and rebuilds nodes and edges from it in one update. */
  update(overrides: Partial<GraphStore>): void;
}

export function storeContext(
  set: (partial: Partial<GraphStore>) => void,
  get: () => GraphStore,
): StoreContext {
  return { set, get, update: (overrides) => set({ ...overrides, ...graphOf(get(), overrides) }) };
}
