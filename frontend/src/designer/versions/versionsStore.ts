// The version history as the designer shows it: the pages of versions read so far, the two
// sides being compared (a version, or the draft on the canvas), and restoring a version into
// the draft. The graph store keeps owning the definition: a restore is one undoable edit of it.
import { create } from "zustand";
import { api } from "../../api";
import { initialPositions } from "../../asl/graph";
import type { Definition, Layout } from "../../asl/types";
import { useGraph } from "../../store";
import { messageOf } from "../../store/derive";
import { clockTime } from "../../store/draftState";
import { diffDefinitions, type DefinitionDiff } from "./diff";
import { versionsApi, type Version, type VersionSummary } from "./versionsApi";

export const PAGE_SIZE = 10;

/** A side of a comparison: a version by number, or the draft being edited. */
export type Side = number | "draft";

export interface Drawn {
  definition: Definition;
  positions: Layout;
}

export interface Comparison {
  before: Side;
  after: Side;
  diff: DefinitionDiff;
  older: Drawn;
  newer: Drawn;
}

interface VersionsStore {
  machine: string;
  versions: VersionSummary[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  comparison: Comparison | null;
  comparing: boolean;
  /** The state picked on the comparison's canvas: its changes are shown first. */
  focused: string | null;
  focus(key: string | null): void;
  load(machine: string): Promise<void>;
  loadOlder(): Promise<void>;
  compare(before: Side, after: Side): Promise<void>;
  closeComparison(): void;
  restore(number: number): Promise<void>;
}

const fetched = new Map<string, Version>();

async function versionOf(machine: string, number: number): Promise<Version> {
  const id = `${machine}#${number}`;
  const known = fetched.get(id);
  if (known) return known;
  const version = await versionsApi.get(machine, number);
  fetched.set(id, version);
  return version;
}

/** Where a version's states were drawn: its stored layout over graphviz's. */
async function drawnVersion(machine: string, version: Version): Promise<Drawn> {
  const auto = await api.layoutOf(machine, version.definition).catch(() => null);
  return {
    definition: version.definition,
    positions: initialPositions(version.definition, auto, version.layout),
  };
}

async function drawnSide(machine: string, side: Side): Promise<Drawn> {
  if (side === "draft") {
    const { definition, positions } = useGraph.getState();
    return { definition, positions };
  }
  return drawnVersion(machine, await versionOf(machine, side));
}

export function sideName(side: Side): string {
  return side === "draft" ? "your draft" : `version ${side}`;
}

/** "2 Dec, 14:05", in the viewer's time zone. */
export function whenText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = date.toLocaleDateString([], { day: "numeric", month: "short" });
  return `${day}, ${clockTime(iso)}`;
}

export const useVersions = create<VersionsStore>()((set, get) => ({
  machine: "",
  versions: [],
  nextCursor: null,
  loading: false,
  error: null,
  comparison: null,
  comparing: false,
  focused: null,

  focus(key) {
    set({ focused: key });
  },

  async load(machine) {
    set({ machine, loading: true, error: null });
    try {
      const page = await versionsApi.list(machine, null, PAGE_SIZE);
      set({ versions: page.versions, nextCursor: page.next_cursor, loading: false });
    } catch (error) {
      set({ loading: false, error: messageOf(error) });
    }
  },

  async loadOlder() {
    const { machine, nextCursor, versions } = get();
    if (nextCursor === null) return;
    set({ loading: true });
    try {
      const page = await versionsApi.list(machine, nextCursor, PAGE_SIZE);
      set({
        versions: [...versions, ...page.versions],
        nextCursor: page.next_cursor,
        loading: false,
      });
    } catch (error) {
      set({ loading: false, error: messageOf(error) });
    }
  },

  async compare(before, after) {
    const { machine } = get();
    set({ comparing: true, error: null });
    try {
      const [older, newer] = await Promise.all([
        drawnSide(machine, before),
        drawnSide(machine, after),
      ]);
      const diff = diffDefinitions(older.definition, newer.definition);
      set({ comparison: { before, after, diff, older, newer }, comparing: false, focused: null });
    } catch (error) {
      set({ comparing: false, error: messageOf(error) });
    }
  },

  closeComparison() {
    set({ comparison: null });
  },

  async restore(number) {
    const { machine } = get();
    set({ error: null });
    let drawn: Drawn;
    let version: Version;
    try {
      version = await versionOf(machine, number);
      drawn = await drawnVersion(machine, version);
    } catch (error) {
      set({ error: messageOf(error) });
      return;
    }
    // Back on the editable canvas, whose dialog asks first: the draft is never replaced unseen.
    set({ comparison: null });
    const graph = useGraph.getState();
    const by = version.created_by ? ` by ${version.created_by}` : "";
    useGraph.setState({
      confirmation: {
        question: `Restore version ${number} into the draft?`,
        details: [
          `The canvas and the draft will hold version ${number}, saved${by} on ${whenText(version.created_at)}.`,
          `What the draft holds now (built on version ${graph.version}) is replaced; Undo brings it back.`,
          "Nothing is published until you save.",
        ],
        confirmLabel: "Restore into the draft",
        run() {
          useGraph.getState().adopt(drawn.definition, drawn.positions);
          useGraph.setState({
            confirmation: null,
            selected: null,
            notice: {
              kind: "success",
              text: `Version ${number} is now the draft. Save to publish it as a new version.`,
            },
          });
        },
      },
    });
  },
}));

// A save makes a version: the list shows it without a reload.
useGraph.subscribe((state, previous) => {
  const { machine, versions } = useVersions.getState();
  if (state.version !== previous.version && machine === state.machineName && versions.length) {
    void useVersions.getState().load(machine);
  }
});
