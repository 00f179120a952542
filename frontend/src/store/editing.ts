// Editing a machine: loading it, every change to its definition (canvas, form, code view),
// undo and redo, debounced validation and saving.
import { applyEdgeChanges, applyNodeChanges } from "@xyflow/react";
import { api, ApiError } from "../api";
import { statesOf } from "../asl/definition";
import * as edits from "../asl/edits";
import {
  buildNodes,
  fallbackPosition,
  freeSpot,
  NODE_HEIGHT,
  NODE_WIDTH,
  positionsFromAutoLayout,
  scopeOrigin,
  type Box,
} from "../asl/graph";
import {
  addressOf,
  allStateKeys,
  allStateNames,
  editScope,
  isWithin,
  keyPointer,
  ownerOfScope,
  removeBranchFromLayout,
  renamedKey,
  renameInLayout,
  scopeAt,
  scopeLabel,
  stateAt,
  stateKey,
} from "../asl/scopes";
import { moveStates as moveInDefinition } from "../asl/clipboard";
import { isObject, type Definition, type Layout } from "../asl/types";
import { draftSettled, openingState, storedLayout, useDraft } from "./draftState";
import type { StoreContext } from "./context";
import { makeRoom, type Measured } from "../asl/makeRoom";
import type { StateNode } from "../asl/graph";

/** What the confirmation of a delete or a move says the cut arrows become. */
const CUT_ARROWS =
  "Those arrows will have no target until you pick a new one; a step that only went on to it will end the run.";

/** In plain words, what leads to ``keys`` from the rest of their boxes: what removing them
 * from there would cut. */
function whatLeadsTo(definition: Definition, keys: string[]): string[] {
  return keys.flatMap((key) => {
    const { scope, name } = addressOf(key);
    const holder = scopeAt(definition, scope) ?? {};
    const alsoGone = new Set(
      keys.filter((o) => addressOf(o).scope === scope).map((o) => addressOf(o).name),
    );
    return edits.referencesTo(holder, name, alsoGone).map((line) => `${name}: ${line}`);
  });
}

/** The height a card's "can never run" line adds: every new state shows it until connected. */
const NEW_CARD_PROBLEM = 28;

/** A card's height as drawn: one with a problem shows it, in one line. */
function cardHeight(node: StateNode): number {
  return NODE_HEIGHT + (node.data.problems.length ? NEW_CARD_PROBLEM : 0);
}

/** The layout with every inner card below its box's title and inside its left edge. */
function keptInside(positions: Layout): Layout {
  return Object.fromEntries(
    Object.entries(positions).map(([key, at]) => {
      const { scope } = addressOf(key);
      if (scope === "") return [key, at];
      const origin = scopeOrigin(scope);
      return [key, { x: Math.max(origin.x, at.x), y: Math.max(origin.y, at.y) }];
    }),
  );
}

/** What the canvas measured, or, before it has, what a card will be. */
function measuredSizes(nodes: StateNode[]): Measured {
  return new Map(
    nodes.map((node) => [
      node.id,
      {
        width: node.measured?.width ?? NODE_WIDTH,
        height: Math.max(node.measured?.height ?? 0, cardHeight(node)),
      },
    ]),
  );
}
import type { RunningPart } from "./running";
import { isDirty, messageOf, prettyJson, snapshot } from "./derive";
import type { GraphStore } from "./types";

const VALIDATE_DELAY_MS = 400;
const UNDO_LIMIT = 100;
/** Keystrokes in the code view closer together than this undo as one change. */
const TYPING_PAUSE_MS = 1500;

export type EditingPart = Omit<
  GraphStore,
  keyof RunningPart | "serverStatuses" | "showServerStatuses"
>;

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
    const selected = state.selected !== null && stateAt(target.definition, state.selected) !== null;
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
    permissions: [],
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
    collapsed: [],
    confirmation: null,

    async loadMachine(name) {
      set({ machineName: name, loading: true, loadError: null });
      try {
        const [machine, auto, draft] = await Promise.all([
          api.machine(name),
          api.layout(name).catch(() => null),
          // Only editors have drafts; anyone else opens the version.
          api.draft(name).catch(() => null),
        ]);
        update({
          loading: false,
          permissions: machine.permissions ?? [],
          version: machine.version,
          past: [],
          future: [],
          ...openingState(machine, auto, draft),
          confirmation: null,
          selected: null,
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
      const stillThere = selected !== null && stateAt(parsed, selected) !== null;
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

    onNodesChange(changes, dragging = false) {
      const state = get();
      const removed = changes.filter((c) => c.type === "remove").map((c) => c.id);
      if (removed.length) {
        get().requestDelete(removed);
        return;
      }
      const parents = new Map(state.nodes.map((node) => [node.id, node.parentId]));
      let nodes = applyNodeChanges(changes, state.nodes);
      let positions = state.positions;
      let selected = state.selected;
      for (const change of changes) {
        // A dragged card is only drawn where it is until it is let go (settleDrag): the
        // layout, and so the size of every box, stays as it was.
        if (change.type === "position" && change.position && !dragging) {
          positions = { ...positions, [change.id]: change.position };
        } else if (change.type === "select") {
          if (change.selected) selected = change.id;
          else if (selected === change.id) selected = null;
        }
      }
      const movedInside = changes.some(
        (c) => c.type === "position" && c.position && parents.get(c.id) !== undefined,
      );
      if (movedInside && !dragging) {
        // Containers grow and shrink with what they hold.
        update({ positions: keptInside(positions), selected });
        return;
      }
      // Several states may be selected (shift-click, shift-drag a box); the form shows the
      // last one picked, or another still selected when that one is let go.
      if (selected === null)
        selected = nodes.find((n) => n.selected && n.type !== "lane")?.id ?? null;
      set({ nodes, positions, selected });
    },

    settleDrag(dropped) {
      const positions = { ...get().positions };
      for (const node of dropped) if (node.type !== "lane") positions[node.id] = node.position;
      update({ positions: keptInside(positions) });
    },

    onEdgesChange(changes) {
      const removals = changes.filter((c) => c.type === "remove");
      if (removals.length) {
        const byId = new Map(get().edges.map((edge) => [edge.id, edge]));
        // Later entries of a list first, so earlier indices stay valid while splicing.
        const entries = removals
          .map((c) => byId.get(c.id)?.data)
          .filter((data) => data !== undefined)
          .sort((a, b) => b.transition.index - a.transition.index);
        // Edges of a state deleted in the same gesture went with it.
        get().edit((definition) =>
          entries.reduce((result, { scope, transition }) => {
            const holder = scopeAt(result, scope);
            if (!holder || !(transition.source in statesOf(holder))) return result;
            return editScope(result, scope, (d) => edits.disconnect(d, transition));
          }, definition),
        );
        return;
      }
      set({ edges: applyEdgeChanges(changes, get().edges) });
    },

    onConnect(connection) {
      if (!connection.source || !connection.target) return;
      const from = addressOf(connection.source);
      const to = addressOf(connection.target);
      if (from.scope !== to.scope) {
        set({
          notice: {
            kind: "error",
            text: "A step can only lead to a step in the same box: inside a Map or a branch, or outside them all.",
          },
        });
        return;
      }
      get().edit((definition) =>
        editScope(definition, from.scope, (d) => edits.connect(d, from.name, to.name)),
      );
    },

    addStateAt(type, centre, scope = "") {
      try {
        const state = get();
        const name = edits.uniqueName(state.definition, type);
        const definition = editScope(
          state.definition,
          scope,
          (d) => edits.addState(d, type, name).definition,
        );
        const key = stateKey(scope, name);
        const owner = ownerOfScope(scope);
        const parent = owner === null ? undefined : /\/Branches\/\d+$/.test(scope) ? scope : owner;
        const siblings: Box[] = state.nodes
          .filter((node) => node.parentId === parent)
          .map((node) => ({
            ...node.position,
            width: node.width ?? node.measured?.width ?? NODE_WIDTH,
            height: node.height ?? Math.max(node.measured?.height ?? 0, cardHeight(node)),
          }));
        const origin = scopeOrigin(scope);
        const wanted = centre
          ? { x: centre.x - NODE_WIDTH / 2, y: centre.y - NODE_HEIGHT / 2 }
          : fallbackPosition(siblings, 0, parent === undefined ? undefined : origin);
        const minimum = parent === undefined ? undefined : origin;
        // A new card starts unconnected, so it shows that problem and stands taller.
        let spot = freeSpot(siblings, wanted, minimum, {
          width: NODE_WIDTH,
          height: NODE_HEIGHT + NEW_CARD_PROBLEM,
        });
        // A Map or Parallel is bigger than a card: find room for the whole of it.
        const added = buildNodes({ definition, positions: { ...state.positions, [key]: spot } });
        const drawn = added.find((node) => node.id === key);
        if (drawn?.width && drawn.height && drawn.type === "container")
          spot = freeSpot(siblings, wanted, minimum, { width: drawn.width, height: drawn.height });
        // Its container grows to hold it: the cards the growth would cover move out of its way.
        const positions = makeRoom(
          definition,
          { ...state.positions, [key]: spot },
          key,
          new Set(state.collapsed),
          measuredSizes(state.nodes),
        );
        setDefinition(definition, {
          positions,
          collapsed: owner ? state.collapsed.filter((k) => !isWithin(owner, k)) : state.collapsed,
          selected: key,
          notice: null,
        });
      } catch (error) {
        set({ notice: { kind: "error", text: messageOf(error) } });
      }
    },

    renameState(key, text) {
      const { scope, name } = addressOf(key);
      const to = text.trim();
      if (to === name) return true;
      const state = get();
      if (allStateNames(state.definition).has(to)) {
        set({ notice: { kind: "error", text: `A state named "${to}" already exists.` } });
        return false;
      }
      try {
        const definition = editScope(state.definition, scope, (d) =>
          edits.renameState(d, name, to),
        );
        const next = stateKey(scope, to);
        setDefinition(definition, {
          positions: renameInLayout(state.positions, key, next),
          collapsed: state.collapsed.map((k) => renamedKey(k, key, next)),
          selected: next,
          notice: null,
        });
        return true;
      } catch (error) {
        set({ notice: { kind: "error", text: messageOf(error) } });
        return false;
      }
    },

    requestDelete(keys) {
      const definition = get().definition;
      const doomed = keys.filter((key) => stateAt(definition, key) !== null);
      // A state inside another one being deleted goes with it.
      const outermost = doomed.filter((key) => !doomed.some((o) => o !== key && isWithin(key, o)));
      if (outermost.length === 0) return;
      const details = whatLeadsTo(definition, outermost);
      const run = (): void => {
        const current = get();
        let result = current.definition;
        for (const key of outermost) {
          const { scope, name } = addressOf(key);
          result = editScope(result, scope, (d) => edits.deleteState(d, name));
        }
        const positions: Layout = Object.fromEntries(
          Object.entries(current.positions).filter(([k]) => !outermost.some((o) => isWithin(k, o))),
        );
        setDefinition(result, { positions, selected: null, confirmation: null, notice: null });
      };
      if (details.length === 0) {
        run();
        return;
      }
      const names = outermost.map((key) => `"${addressOf(key).name}"`).join(", ");
      update({
        confirmation: {
          question: `Delete ${names}? Other steps lead to ${outermost.length === 1 ? "it" : "them"}:`,
          details: [...details, CUT_ARROWS],
          confirmLabel: "Delete",
          run,
        },
      });
    },

    moveStates(keys, to, at, before) {
      const definition = get().definition;
      const from = addressOf(keys[0] ?? "").scope;
      // One box at a time, outermost only: a state inside another one moves with it.
      const moving = keys.filter(
        (key) =>
          addressOf(key).scope === from &&
          stateAt(definition, key) !== null &&
          !keys.some((o) => o !== key && isWithin(key, o)),
      );
      if (moving.length === 0 || from === to) {
        if (before) update({ positions: before }); // a drag that moves nothing goes back
        return;
      }
      const names = moving.map((key) => addressOf(key).name);
      const what = names.map((n) => `“${n}”`).join(", ");
      const where = to === "" ? "the main flow" : scopeLabel(to);
      const run = (): void => {
        const current = get();
        try {
          // Inside a box, a card stays below its title and inside its left edge.
          const origin = to === "" ? { x: -Infinity, y: -Infinity } : scopeOrigin(to);
          // From the menu there is no drop point: the layout places it (below).
          const place = at
            ? { x: Math.max(origin.x, at.x), y: Math.max(origin.y, at.y) }
            : { x: 0, y: 0 };
          const moved = moveInDefinition(
            current.definition,
            from,
            names,
            to,
            current.positions,
            place,
          );
          const positions: Layout = Object.fromEntries(
            Object.entries(current.positions).filter(([k]) => !moving.some((m) => isWithin(k, m))),
          );
          Object.assign(positions, moved.positions);
          // Moved from a menu: the layout finds it a free spot in the box it joins.
          if (!at) for (const key of moved.keys) delete positions[key];
          setDefinition(moved.definition, {
            positions,
            selected: moved.keys[0] ?? null,
            confirmation: null,
            notice: {
              kind: "success",
              text: `Moved ${what} to ${where}.`,
            },
          });
        } catch (error) {
          set({ confirmation: null, notice: { kind: "error", text: messageOf(error) } });
          if (before) update({ positions: before }); // the card goes back where it was
        }
      };
      const details = whatLeadsTo(definition, moving);
      if (details.length === 0) {
        run();
        return;
      }
      update({
        confirmation: {
          question: `Move ${what} to ${where}? In the box ${moving.length === 1 ? "it leaves" : "they leave"}, other steps lead to ${moving.length === 1 ? "it" : "them"}:`,
          details: [...details, CUT_ARROWS],
          confirmLabel: "Move",
          run,
          // Not moved: the card goes back where it was.
          cancel: before ? () => update({ positions: before }) : undefined,
        },
      });
    },

    toggleCollapsed(key) {
      const { collapsed } = get();
      update({
        collapsed: collapsed.includes(key)
          ? collapsed.filter((k) => k !== key)
          : [...collapsed, key],
      });
    },

    addBranch(parallel) {
      const { scope, name } = addressOf(parallel);
      const step = edits.uniqueName(get().definition, "Branch step");
      const state = get();
      try {
        const definition = editScope(state.definition, scope, (s) =>
          edits.addBranch(s, name, step),
        );
        // The Parallel is wider now: the cards beside it move out of its way.
        const positions = makeRoom(
          definition,
          state.positions,
          parallel,
          new Set(state.collapsed),
          measuredSizes(state.nodes),
        );
        setDefinition(definition, { positions, notice: null });
      } catch (error) {
        set({ notice: { kind: "error", text: messageOf(error) } });
      }
    },

    removeBranch(parallel, index) {
      const { scope, name } = addressOf(parallel);
      const branch = scopeAt(get().definition, `${keyPointer(parallel)}/Branches/${index}`);
      const count = branch ? Object.keys(statesOf(branch)).length : 0;
      const run = (): void => {
        const current = get();
        try {
          const definition = editScope(current.definition, scope, (s) =>
            edits.removeBranch(s, name, index),
          );
          setDefinition(definition, {
            positions: removeBranchFromLayout(current.positions, parallel, index),
            selected: null,
            confirmation: null,
            notice: null,
          });
        } catch (error) {
          set({ confirmation: null, notice: { kind: "error", text: messageOf(error) } });
        }
      };
      if (count === 0) {
        run();
        return;
      }
      update({
        confirmation: {
          question: `Remove branch ${index + 1} of "${name}"?`,
          details: [`Its ${count} step${count === 1 ? "" : "s"} will be deleted with it.`],
          confirmLabel: "Remove branch",
          run,
        },
      });
    },

    answerConfirmation(confirmed) {
      const { confirmation } = get();
      if (confirmed && confirmation) confirmation.run();
      else {
        update({ confirmation: null });
        confirmation?.cancel?.();
      }
    },

    async autoLayout() {
      const { machineName, definition } = get();
      try {
        // The draft as it is now, saved or not, valid or not.
        const auto = await api.layoutOf(machineName, definition);
        if (get().definition !== definition) return; // edited meanwhile: stale
        const positions = positionsFromAutoLayout(auto);
        update({ ...remember(false), positions: { ...get().positions, ...positions } });
      } catch (error) {
        set({ notice: { kind: "error", text: messageOf(error) } });
      }
    },

    async save(comment) {
      const { machineName, definition, positions, codeError, collapsed } = get();
      if (!isDirty(get())) {
        set({ notice: { kind: "success", text: "Nothing to save: everything is saved." } });
        return;
      }
      if (codeError) {
        set({ notice: { kind: "error", text: "Fix the code view's JSON before saving." } });
        return;
      }
      // Only states that still exist keep a position.
      const layout = storedLayout(positions, new Set(allStateKeys(definition)), collapsed);
      set({ saving: true, notice: null });
      try {
        // The draft being published is discarded with it, unless someone saved it since.
        const draftRevision = await draftSettled();
        const machine = await api.save(machineName, definition, layout, draftRevision, comment);
        if (draftRevision) useDraft.setState({ revision: 0, status: "idle", restored: null });
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

    adopt(definition, positions) {
      setDefinition(definition, { positions, notice: null });
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
