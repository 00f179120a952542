// Editing a machine: loading it, every change to its definition (canvas, form, code view),
// undo and redo, debounced validation and saving.
import { applyEdgeChanges, applyNodeChanges } from "@xyflow/react";
import { api, ApiError } from "../api";
import { stateNames, statesOf } from "../asl/definition";
import * as edits from "../asl/edits";
import { freeSpot, NODE_HEIGHT, NODE_WIDTH, positionsFromAutoLayout } from "../asl/graph";
import { isObject, type Definition } from "../asl/types";
import type { StoreContext } from "./context";
import type { RunningPart } from "./running";
import { isDirty, messageOf, prettyJson, snapshot } from "./derive";
import type { GraphStore } from "./types";

const VALIDATE_DELAY_MS = 400;
const UNDO_LIMIT = 100;
/** Keystrokes in the code view closer together than this undo as one change. */
const TYPING_PAUSE_MS = 1500;

export type EditingPart = Omit<GraphStore, keyof RunningPart>;

export function editingPart({ set, get, update }: StoreContext): EditingPart {
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let validateSequence = 0;

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
}
