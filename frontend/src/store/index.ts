// The one store that owns the graph: the definition being edited is the source of truth; nodes,
// edges, the code view's text and the diagnostics all follow from it. It has two parts, editing
// and running, which share the state and the graph rebuild.
import { create } from "zustand";
import { storeContext } from "./context";
import { editingPart } from "./editing";
import { runningPart } from "./running";
import type { GraphStore } from "./types";

export { canEdit, isDirty } from "./derive";
export type { GraphStore, Notice, Revision } from "./types";

export const useGraph = create<GraphStore>()((set, get) => {
  const context = storeContext(set, get);
  return {
    ...editingPart(context),
    ...runningPart(context),
    serverStatuses: null,
    showServerStatuses: (shown) => context.update({ serverStatuses: shown }),
  };
});
