// Copy, paste and duplicate on the designer's canvas: what is selected goes to a clipboard
// kept in this browser (so a copy can be pasted into another machine's tab), and comes back
// as new states through one undoable edit.
import { copyStates, pasteStates, type Clip } from "../asl/clipboard";
import { freeSpot, NODE_HEIGHT, NODE_WIDTH, scopeOrigin, type Box } from "../asl/graph";
import { addressOf, isWithin, scopeAt, stateKey } from "../asl/scopes";
import type { Layout } from "../asl/types";
import { canEdit, useGraph } from "../store";

const STORAGE_KEY = "statecraft.clipboard";

interface StoredClip extends Clip {
  /** The scope the states were copied from, so a paste there lands beside the originals. */
  scope: string;
  machine: string;
}

/** The states selected on the canvas, outermost only (a container brings its insides). */
export function selectedStates(): string[] {
  const { nodes, selected, definition } = useGraph.getState();
  const picked = nodes.filter((n) => n.selected && n.type !== "lane").map((n) => n.id);
  const keys = picked.length ? picked : selected ? [selected] : [];
  const existing = keys.filter((key) => scopeAt(definition, addressOf(key).scope) !== null);
  return existing.filter((key) => !existing.some((o) => o !== key && isWithin(key, o)));
}

function read(): StoredClip | null {
  try {
    const text = window.localStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as StoredClip) : null;
  } catch {
    return null;
  }
}

function say(kind: "error" | "success", text: string): void {
  useGraph.setState({ notice: { kind, text } });
}

/** Copies the selection; states in other boxes than the first one's are left out, and said. */
export function copySelection(): boolean {
  const keys = selectedStates();
  if (keys.length === 0) {
    say("error", "Nothing to copy: select one or more states first.");
    return false;
  }
  const scope = addressOf(keys[0]!).scope;
  const same = keys.filter((key) => addressOf(key).scope === scope);
  const { definition, positions, machineName } = useGraph.getState();
  const clip = copyStates(
    definition,
    scope,
    same.map((key) => addressOf(key).name),
    positions,
  );
  const stored: StoredClip = { ...clip, scope, machine: machineName };
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  const count = same.length;
  const left = keys.length - count;
  say(
    "success",
    `Copied ${count === 1 ? `"${addressOf(same[0]!).name}"` : `${count} states`}.` +
      (left ? ` ${left} in another box ${left === 1 ? "was" : "were"} left out.` : "") +
      " Paste with Ctrl+V.",
  );
  return true;
}

/** Where a paste goes: the box of the selected state, or the top level. */
function pasteScope(): string {
  const { selected, definition } = useGraph.getState();
  if (!selected) return "";
  const scope = addressOf(selected).scope;
  return scopeAt(definition, scope) ? scope : "";
}

/** The sentence a viewer reads when something would change the machine. */
export const VIEW_ONLY =
  "You may view this state machine but not change it: that needs the editor role.";

function pasteClip(clip: StoredClip, scope: string): boolean {
  const state = useGraph.getState();
  // The menus offer a viewer no paste; this stops any other way in (a stale key handler).
  if (!canEdit(state)) {
    say("error", `Not pasted. ${VIEW_ONLY}`);
    return false;
  }
  try {
    // Beside the originals when pasted where they came from; elsewhere, where there is room.
    const here = clip.scope === scope && clip.machine === state.machineName;
    const pasted = pasteStates(state.definition, scope, clip, { x: 40, y: 40 });
    const positions = { ...state.positions, ...pasted.positions };
    if (!here) for (const key of pasted.keys) delete positions[key];
    else placeClear(pasted.keys, Object.keys(clip.states), positions);
    state.adopt(pasted.definition, positions);
    selectOnly(pasted.keys);
    const names = pasted.keys.map((key) => `"${addressOf(key).name}"`).join(", ");
    say("success", `Pasted ${names}.`);
    return true;
  } catch (error) {
    say("error", `Not pasted: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/**
 * Moves each pasted state to a spot clear of the others in its box: a card to the nearest free
 * spot, a Map or Parallel (bigger than a card) to the right of everything, so a copy of a
 * container is never drawn under the container it copies.
 */
function placeClear(keys: string[], originals: string[], positions: Layout): void {
  const { nodes } = useGraph.getState();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const placed: Box[] = [];
  keys.forEach((key, i) => {
    const { scope } = addressOf(key);
    const original = byId.get(stateKey(scope, originals[i]!));
    const wanted = positions[key];
    if (!original || !wanted) return;
    const width = original.width ?? NODE_WIDTH;
    const height = original.height ?? NODE_HEIGHT;
    const taken: Box[] = [
      ...nodes
        .filter((n) => n.parentId === original.parentId)
        .map((n) => ({
          ...n.position,
          width: n.width ?? NODE_WIDTH,
          height: n.height ?? NODE_HEIGHT,
        })),
      ...placed,
    ];
    const big = width > NODE_WIDTH || height > NODE_HEIGHT;
    const minimum = original.parentId === undefined ? undefined : scopeOrigin(scope);
    const spot = big
      ? { x: Math.max(...taken.map((t) => t.x + t.width)) + 40, y: original.position.y }
      : freeSpot(taken, wanted, minimum);
    positions[key] = spot;
    placed.push({ ...spot, width, height });
  });
}

export function paste(): boolean {
  const clip = read();
  if (!clip || Object.keys(clip.states ?? {}).length === 0) {
    say("error", "Nothing to paste: copy a state first (Ctrl+C).");
    return false;
  }
  return pasteClip(clip, pasteScope());
}

/** Copies and pastes the selection in one step, leaving the clipboard as it was. */
export function duplicate(): boolean {
  const keys = selectedStates();
  if (keys.length === 0) {
    say("error", "Nothing to duplicate: select one or more states first.");
    return false;
  }
  const scope = addressOf(keys[0]!).scope;
  const { definition, positions, machineName } = useGraph.getState();
  const names = keys.filter((k) => addressOf(k).scope === scope).map((k) => addressOf(k).name);
  const clip = copyStates(definition, scope, names, positions);
  return pasteClip({ ...clip, scope, machine: machineName }, scope);
}

/** Selects exactly these states, the first shown in the form. */
export function selectOnly(keys: string[]): void {
  const first = keys[0] ?? null;
  useGraph.getState().select(first);
  const chosen = new Set(keys);
  useGraph.setState({
    nodes: useGraph
      .getState()
      .nodes.map((n) =>
        n.selected === chosen.has(n.id) ? n : { ...n, selected: chosen.has(n.id) },
      ),
  });
}
