// What the designer knows of the machine's server-side draft: which revision it holds, whether
// the latest edits reached the server, who else is editing, and a conflict to settle. The
// graph store owns the definition; this one only follows how far its copy on the server is.
import { create } from "zustand";
import type { Draft, DraftState } from "../api";
import { initialPositions } from "../asl/graph";
import {
  isObject,
  type AutoLayout,
  type Definition,
  type Layout,
  type Machine,
} from "../asl/types";
import { prettyJson, snapshot } from "./derive";
import type { GraphStore } from "./types";

export type DraftStatus = "idle" | "pending" | "saving" | "saved" | "error";

export interface DraftStore {
  /** The revision of the server's draft this designer built on; 0: there is none. */
  revision: number;
  status: DraftStatus;
  /** When the draft last reached the server, or why it did not. */
  savedAt: string | null;
  error: string | null;
  /** Set when the designer opened on an unpublished draft rather than the version. */
  restored: { at: string; by: string | null } | null;
  /** Someone else saved the draft since this designer's revision: theirs, to load or not. */
  conflict: { theirs: Draft | null; message: string } | null;
  /** Who else has this machine's designer open. */
  editors: string[];
  /** What was last sent to the server, so an unchanged machine is not sent again. */
  sentSnapshot: string;
}

export const useDraft = create<DraftStore>()(() => ({
  revision: 0,
  status: "idle",
  savedAt: null,
  error: null,
  restored: null,
  conflict: null,
  editors: [],
  sentSnapshot: "",
}));

/** What the designer sends and compares: the code text only while it does not parse. */
export function draftSnapshot(
  store: Pick<GraphStore, "definition" | "positions" | "codeText" | "codeError" | "collapsed">,
): string {
  const code = store.codeError ? store.codeText : "";
  return snapshot(store.definition, store.positions) + code + store.collapsed.join("\u0000");
}

/** A draft worth opening on: one with changes the version does not have. */
function worthRestoring(draft: Draft, definition: Definition, positions: Layout): boolean {
  if (draft.code || JSON.stringify(draft.definition) !== JSON.stringify(definition)) return true;
  return Object.entries(draft.layout).some(([key, p]) => {
    const shown = positions[key];
    return !shown || Math.round(shown.x) !== p.x || Math.round(shown.y) !== p.y;
  });
}

/**
 * The graph store's state on opening a machine: its latest version, or the draft over it when
 * there is one (the draft is discarded on publishing, so one that exists holds unpublished
 * work). The saved snapshot stays the version's, so the designer shows unsaved changes.
 */
export function openingState(
  machine: Machine,
  auto: AutoLayout | null,
  state: DraftState | null,
): Partial<GraphStore> {
  const definition = isObject(machine.definition) ? machine.definition : {};
  const positions = initialPositions(definition, auto, machine.layout);
  const opened: Partial<GraphStore> = {
    definition,
    codeText: prettyJson(definition),
    codeError: null,
    positions,
    savedSnapshot: snapshot(definition, positions),
    collapsed: foldedIn(machine.layout),
  };
  const draft = state?.draft ?? null;
  const restore = draft !== null && worthRestoring(draft, definition, positions);
  if (draft && restore) {
    const drafted = draft.definition ?? definition;
    opened.definition = drafted;
    opened.positions = { ...initialPositions(drafted, auto, machine.layout), ...draft.layout };
    opened.codeText = draft.definition ? prettyJson(drafted) : draft.code;
    opened.codeError = draft.definition ? null : "Not valid JSON yet: the draft kept your text.";
    opened.collapsed = foldedIn(draft.layout);
  }
  useDraft.setState({
    revision: draft?.revision ?? 0,
    status: draft ? "saved" : "idle",
    savedAt: draft?.updated_at ?? null,
    error: null,
    restored:
      draft && restore ? { at: draft.updated_at, by: draft.mine ? null : draft.updated_by } : null,
    conflict: null,
    editors: state?.editors ?? [],
    sentSnapshot: draftSnapshot({
      definition: opened.definition ?? definition,
      positions: opened.positions ?? positions,
      codeText: opened.codeText ?? "",
      codeError: opened.codeError ?? null,
      collapsed: opened.collapsed ?? [],
    }),
  });
  return opened;
}

/** "14:05", in the viewer's time zone. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
}

// Publishing waits for the draft to reach the server first, so the version published is the
// draft's latest revision and that draft can be discarded with it (see autosave.ts).
let settle: () => Promise<number> = () => Promise.resolve(useDraft.getState().revision);

/** Sends what is pending and resolves to the draft's revision then (0: none). */
export function draftSettled(): Promise<number> {
  return settle();
}

export function onDraftSettled(fn: () => Promise<number>): void {
  settle = fn;
}

/** The layout to store: positions rounded, folded containers marked (designer/actions.py). */
export function storedLayout(positions: Layout, keys: Set<string>, collapsed: string[]): Layout {
  const folded = new Set(collapsed);
  return Object.fromEntries(
    Object.entries(positions)
      .filter(([key]) => keys.has(key))
      .map(([key, p]) => [
        key,
        { x: Math.round(p.x), y: Math.round(p.y), ...(folded.has(key) ? { folded: true } : {}) },
      ]),
  );
}

/** The containers a stored layout says were folded. */
export function foldedIn(layout: Layout | null | undefined): string[] {
  return Object.entries(layout ?? {})
    .filter(([, p]) => (p as { folded?: unknown }).folded === true)
    .map(([key]) => key);
}
