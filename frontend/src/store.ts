// The one store that owns the graph: the definition being edited is the source of truth; nodes,
// edges, the code view's text and the diagnostics all follow from it.
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { create } from "zustand";
import { api, ApiError, followExecution, type EventStream } from "./api";
import { stateNames, statesOf } from "./asl/definition";
import * as edits from "./asl/edits";
import {
  buildEdges,
  buildNodes,
  freeSpot,
  NODE_HEIGHT,
  NODE_WIDTH,
  positionsFromAutoLayout,
  type StateNode,
  type TransitionEdge,
} from "./asl/graph";
import { groupDiagnostics } from "./asl/pointer";
import { applyEvent, emptyRun, isFinished, reduceEvents, type RunView } from "./asl/runStatus";
import {
  isObject,
  type Definition,
  type Diagnostic,
  type Execution,
  type HistoryEvent,
  type Layout,
  type Position,
  type StateStatus,
  type StateType,
} from "./asl/types";

export type Notice = { kind: "error" | "success"; text: string } | null;

/** What undo brings back: the definition and where its states were drawn. */
export interface Revision {
  definition: Definition;
  positions: Layout;
}

export interface GraphStore {
  machineName: string;
  version: number;
  definition: Definition;
  codeText: string;
  codeError: string | null;
  positions: Layout;
  savedSnapshot: string;
  nodes: StateNode[];
  edges: TransitionEdge[];
  selected: string | null;
  diagnostics: Diagnostic[];
  loading: boolean;
  loadError: string | null;
  saving: boolean;
  notice: Notice;
  run: RunView;
  events: HistoryEvent[];
  execution: Execution | null;
  runError: string | null;
  starting: boolean;
  past: Revision[];
  future: Revision[];

  loadMachine(name: string): Promise<void>;
  loadExecution(id: string): Promise<void>;
  edit(change: (definition: Definition) => Definition): boolean;
  setCodeText(text: string): void;
  select(name: string | null): void;
  onNodesChange(changes: NodeChange<StateNode>[]): void;
  onEdgesChange(changes: EdgeChange<TransitionEdge>[]): void;
  onConnect(connection: Connection): void;
  /** Adds a state of a type, centred on a canvas point (or below the others), and selects it. */
  addStateAt(type: StateType, centre: Position | null): void;
  autoLayout(): Promise<void>;
  save(): Promise<void>;
  startRun(input: unknown): Promise<void>;
  receiveEvent(event: HistoryEvent): void;
  dismissNotice(): void;
  undo(): void;
  redo(): void;
}

const VALIDATE_DELAY_MS = 400;
const UNDO_LIMIT = 100;
/** Keystrokes in the code view closer together than this undo as one change. */
const TYPING_PAUSE_MS = 1500;
let validateTimer: ReturnType<typeof setTimeout> | undefined;
let validateSequence = 0;
let stream: EventStream | null = null;

function snapshot(definition: Definition, positions: Layout): string {
  return JSON.stringify({ definition, positions });
}

export function isDirty(
  store: Pick<GraphStore, "definition" | "positions" | "savedSnapshot">,
): boolean {
  return snapshot(store.definition, store.positions) !== store.savedSnapshot;
}

function statuses(run: RunView): Record<string, StateStatus> {
  return Object.fromEntries(Object.entries(run.states).map(([name, s]) => [name, s.status]));
}

/** Rebuilds nodes and edges, keeping what React Flow measured so nodes are not re-laid. */
function graphOf(
  store: GraphStore,
  overrides: Partial<GraphStore>,
): Pick<GraphStore, "nodes" | "edges"> {
  const next = { ...store, ...overrides };
  const names = stateNames(next.definition);
  const measured = new Map(store.nodes.map((node) => [node.id, node.measured]));
  const nodes = buildNodes({
    definition: next.definition,
    positions: next.positions,
    statuses: statuses(next.run),
    problems: groupDiagnostics(next.diagnostics, names).byState,
    selected: next.selected,
  }).map((node) => ({ ...node, measured: measured.get(node.id) }));
  return { nodes, edges: buildEdges(next.definition) };
}

function prettyJson(definition: Definition): string {
  return JSON.stringify(definition, null, 2);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useGraph = create<GraphStore>()((set, get) => {
  /** Applies a new state and rebuilds the graph from it in one update. */
  const update = (overrides: Partial<GraphStore>): void => {
    set({ ...overrides, ...graphOf(get(), overrides) });
  };

  const scheduleValidation = (): void => {
    clearTimeout(validateTimer);
    validateTimer = setTimeout(() => {
      const { machineName, definition } = get();
      const sequence = ++validateSequence;
      api
        .validate(machineName, definition)
        .then((result) => {
          // An older answer must not overwrite a newer one.
          if (sequence === validateSequence) update({ diagnostics: result.diagnostics });
        })
        .catch(() => undefined);
    }, VALIDATE_DELAY_MS);
  };

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

  let lastTyping = 0;
  /** The undo stack after a change; typing in a burst counts as one change. */
  const remember = (typing: boolean): Pick<GraphStore, "past" | "future"> => {
    const { past, definition, positions } = get();
    const now = Date.now();
    const burst = typing && now - lastTyping < TYPING_PAUSE_MS;
    lastTyping = typing ? now : 0;
    if (burst) return { past, future: [] };
    return { past: [...past, { definition, positions }].slice(-UNDO_LIMIT), future: [] };
  };

  const setDefinition = (definition: Definition, extra: Partial<GraphStore> = {}): void => {
    update({
      ...remember(false),
      definition,
      codeText: prettyJson(definition),
      codeError: null,
      ...extra,
    });
    scheduleValidation();
  };

  /** Moves one revision from one stack to the other, keeping the current one on the other. */
  const travel = (from: "past" | "future"): void => {
    const state = get();
    const stack = state[from];
    const target = stack[stack.length - 1];
    if (!target) return;
    const current = { definition: state.definition, positions: state.positions };
    const to = from === "past" ? "future" : "past";
    const selected = state.selected !== null && state.selected in statesOf(target.definition);
    lastTyping = 0;
    update({
      [from]: stack.slice(0, -1),
      [to]: [...state[to], current],
      definition: target.definition,
      positions: target.positions,
      codeText: prettyJson(target.definition),
      codeError: null,
      selected: selected ? state.selected : null,
      notice: null,
    });
    scheduleValidation();
  };

  return {
    machineName: "",
    version: 0,
    definition: {},
    codeText: "{}",
    codeError: null,
    positions: {},
    savedSnapshot: "",
    nodes: [],
    edges: [],
    selected: null,
    diagnostics: [],
    loading: true,
    loadError: null,
    saving: false,
    notice: null,
    run: emptyRun(),
    events: [],
    execution: null,
    runError: null,
    starting: false,
    past: [],
    future: [],

    async loadMachine(name) {
      set({ machineName: name, loading: true, loadError: null });
      try {
        const [machine, auto] = await Promise.all([
          api.machine(name),
          api.layout(name).catch(() => null),
        ]);
        const positions = { ...positionsFromAutoLayout(auto), ...(machine.layout ?? {}) };
        const definition = isObject(machine.definition) ? machine.definition : {};
        update({
          loading: false,
          version: machine.version,
          definition,
          codeText: prettyJson(definition),
          positions,
          savedSnapshot: snapshot(definition, positions),
          past: [],
          future: [],
        });
        scheduleValidation();
      } catch (error) {
        set({ loading: false, loadError: messageOf(error) });
      }
    },

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

    edit(change) {
      try {
        setDefinition(change(get().definition), { notice: null });
        return true;
      } catch (error) {
        set({ notice: { kind: "error", text: messageOf(error) } });
        return false;
      }
    },

    setCodeText(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        set({ codeText: text, codeError: `Not valid JSON: ${messageOf(error)}` });
        return;
      }
      if (!isObject(parsed)) {
        set({ codeText: text, codeError: "The definition must be a JSON object." });
        return;
      }
      // Keep the user's own formatting while they type; the canvas follows the parsed value.
      const selected = get().selected;
      const stillThere = selected !== null && selected in statesOf(parsed);
      update({
        ...remember(true),
        definition: parsed,
        codeText: text,
        codeError: null,
        selected: stillThere ? selected : null,
      });
      scheduleValidation();
    },

    select(name) {
      if (get().selected !== name) update({ selected: name });
    },

    onNodesChange(changes) {
      const state = get();
      const removed = changes.filter((c) => c.type === "remove").map((c) => c.id);
      let nodes = applyNodeChanges(
        changes.filter((c) => c.type !== "remove"),
        state.nodes,
      );
      let positions = state.positions;
      let selected = state.selected;
      for (const change of changes) {
        if (change.type === "position" && change.position) {
          positions = { ...positions, [change.id]: change.position };
        } else if (change.type === "select") {
          if (change.selected) selected = change.id;
          else if (selected === change.id) selected = null;
        }
      }
      if (removed.length) {
        let definition = state.definition;
        for (const name of removed) definition = edits.deleteState(definition, name);
        const remaining = Object.fromEntries(
          Object.entries(positions).filter(([n]) => !removed.includes(n)),
        );
        setDefinition(definition, { positions: remaining, selected: null });
        return;
      }
      nodes = nodes.map((node) => ({ ...node, selected: node.id === selected }));
      set({ nodes, positions, selected });
    },

    onEdgesChange(changes) {
      const removals = changes.filter((c) => c.type === "remove");
      if (removals.length) {
        const byId = new Map(get().edges.map((edge) => [edge.id, edge]));
        // Later entries of a list first, so earlier indices stay valid while splicing.
        const transitions = removals
          .map((c) => byId.get(c.id)?.data?.transition)
          .filter((t) => t !== undefined)
          .sort((a, b) => b.index - a.index);
        // Edges of a state deleted in the same gesture went with it.
        get().edit((definition) =>
          transitions
            .filter((t) => t.source in statesOf(definition))
            .reduce(edits.disconnect, definition),
        );
        return;
      }
      set({ edges: applyEdgeChanges(changes, get().edges) });
    },

    onConnect(connection) {
      if (connection.source && connection.target) {
        get().edit((definition) => edits.connect(definition, connection.source, connection.target));
      }
    },

    addStateAt(type, centre) {
      try {
        const { definition, name } = edits.addState(get().definition, type);
        const positions = centre
          ? {
              ...get().positions,
              [name]: freeSpot(get().positions, {
                x: centre.x - NODE_WIDTH / 2,
                y: centre.y - NODE_HEIGHT / 2,
              }),
            }
          : get().positions;
        setDefinition(definition, { positions, selected: name, notice: null });
      } catch (error) {
        set({ notice: { kind: "error", text: messageOf(error) } });
      }
    },

    async autoLayout() {
      const { machineName } = get();
      if (isDirty(get())) {
        set({
          notice: {
            kind: "error",
            text: "Save first: the automatic layout works on the saved machine.",
          },
        });
        return;
      }
      try {
        const auto = await api.layout(machineName);
        const positions = positionsFromAutoLayout(auto);
        update({ positions: { ...get().positions, ...positions } });
      } catch (error) {
        set({ notice: { kind: "error", text: messageOf(error) } });
      }
    },

    async save() {
      const { machineName, definition, positions, codeError } = get();
      if (!isDirty(get())) {
        set({ notice: { kind: "success", text: "Nothing to save: everything is saved." } });
        return;
      }
      if (codeError) {
        set({ notice: { kind: "error", text: "Fix the code view's JSON before saving." } });
        return;
      }
      // Only states that still exist keep a position.
      const layout = Object.fromEntries(
        Object.entries(positions)
          .filter(([name]) => stateNames(definition).includes(name))
          .map(([name, p]) => [name, { x: Math.round(p.x), y: Math.round(p.y) }]),
      );
      set({ saving: true, notice: null });
      try {
        const machine = await api.save(machineName, definition, layout);
        update({
          saving: false,
          version: machine.version,
          savedSnapshot: snapshot(definition, positions),
          notice: { kind: "success", text: `Saved as version ${machine.version}.` },
        });
      } catch (error) {
        const diagnostics = error instanceof ApiError ? error.diagnostics : [];
        update({
          saving: false,
          diagnostics: diagnostics.length ? diagnostics : get().diagnostics,
          notice: { kind: "error", text: `Not saved: ${messageOf(error)}` },
        });
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

    dismissNotice() {
      set({ notice: null });
    },

    undo() {
      travel("past");
    },

    redo() {
      travel("future");
    },
  };
});
