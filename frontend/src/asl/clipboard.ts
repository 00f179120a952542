// Copying states (a Map or Parallel with everything inside it) and pasting them into a scope.
// State names are unique across the whole machine, so every pasted state, inner ones included,
// gets a fresh name ("Charge card" -> "Charge card 2"). Arrows between copied states follow the
// copies; arrows that led out of the copied set would point at a state the copy does not own,
// so they are cleared (a Next becomes End, a Default or a rule's target is dropped).
import { statesOf } from "./definition";
import { deleteState } from "./edits";
import {
  allStateNames,
  editScope,
  innerScopesOf,
  isWithin,
  segmentsOf,
  stateKey,
  statePointerIn,
} from "./scopes";
import {
  isObject,
  type Definition,
  type JsonObject,
  type Layout,
  type StateDefinition,
} from "./types";

/** What was copied: states of one scope by name, with the positions of them and their insides. */
export interface Clip {
  states: Record<string, StateDefinition>;
  /** Positions keyed by the copied state's pointer *relative* to its scope ("/States/A/..."). */
  positions: Layout;
}

/** What a paste made: the new definition, the keys of the pasted (outermost) states, layout. */
export interface Pasted {
  definition: Definition;
  keys: string[];
  positions: Layout;
}

export function copyStates(
  definition: Definition,
  scope: string,
  names: string[],
  positions: Layout,
): Clip {
  const holder = scope === "" ? definition : resolveScope(definition, scope);
  const all = holder ? statesOf(holder) : {};
  const states: Record<string, StateDefinition> = {};
  for (const name of names) if (name in all) states[name] = structuredClone(all[name]!);
  const relative: Layout = {};
  for (const name of Object.keys(states)) {
    const pointer = statePointerIn(scope, name);
    const key = stateKey(scope, name);
    if (positions[key]) relative[statePointerIn("", name)] = positions[key]!;
    for (const [k, p] of Object.entries(positions)) {
      if (k.startsWith(`${pointer}/`))
        relative[`${statePointerIn("", name)}${k.slice(pointer.length)}`] = p;
    }
  }
  return { states, positions: relative };
}

function resolveScope(definition: Definition, scope: string): JsonObject | null {
  let node: unknown = definition;
  for (const segment of segmentsOf(scope)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else return null;
  }
  return isObject(node) ? node : null;
}

/** The next free name for a copy: "Charge card" and "Charge card 2" both give "Charge card 3". */
export function copyName(name: string, taken: Set<string>): string {
  const base = name.replace(/ \d+$/, "");
  for (let n = 2; ; n++) {
    const candidate = `${base} ${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Every state name inside a state (at any depth), not the state's own. */
function innerNames(state: StateDefinition): string[] {
  return innerScopesOf(state, "").flatMap((inner) =>
    Object.entries(statesOf(inner.scope)).flatMap(([name, s]) => [name, ...innerNames(s)]),
  );
}

/** Points a scope's references through ``renames``; a target outside ``keep`` is cleared. */
function rewriteScope(
  states: Record<string, StateDefinition>,
  renames: Map<string, string>,
  keep: Set<string>,
): void {
  const follow = (target: unknown): string | null =>
    typeof target === "string" && keep.has(target) ? (renames.get(target) ?? target) : null;
  for (const state of Object.values(states)) {
    if (!isObject(state)) continue;
    if ("Next" in state) {
      const next = follow(state["Next"]);
      if (next === null) {
        delete state["Next"];
        if (state["Type"] !== "Choice") state["End"] = true;
      } else state["Next"] = next;
    }
    if ("Default" in state) {
      const next = follow(state["Default"]);
      if (next === null) delete state["Default"];
      else state["Default"] = next;
    }
    for (const list of ["Choices", "Catch"] as const) {
      const entries = state[list];
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        if (!isObject(entry) || !("Next" in entry)) continue;
        const next = follow(entry["Next"]);
        if (next === null) delete entry["Next"];
        else entry["Next"] = next;
      }
    }
    // Inside a container every state was copied, so every arrow there stays, renamed.
    for (const inner of innerScopesOf(state, "")) {
      const innerStates = statesOf(inner.scope);
      if (typeof inner.scope["StartAt"] === "string") {
        inner.scope["StartAt"] = renames.get(inner.scope["StartAt"]) ?? inner.scope["StartAt"];
      }
      const renamed: Record<string, StateDefinition> = {};
      for (const [name, s] of Object.entries(innerStates)) renamed[renames.get(name) ?? name] = s;
      rewriteScope(renamed, renames, new Set(Object.keys(innerStates)));
      inner.scope["States"] = renamed;
    }
  }
}

/**
 * Pastes a clip into ``scope`` of ``definition``. Top-level pasted states are placed at their
 * copied positions moved by ``offset``; their insides keep where they were inside them.
 */
export function pasteStates(
  definition: Definition,
  scope: string,
  clip: Clip,
  offset = { x: 40, y: 40 },
): Pasted {
  const names = Object.keys(clip.states);
  if (names.length === 0) return { definition, keys: [], positions: {} };
  const result = structuredClone(definition);
  const holder = scope === "" ? result : resolveScope(result, scope);
  if (!holder) throw new Error("That part of the machine no longer exists.");
  if (!isObject(holder["States"])) holder["States"] = {};
  const target = holder["States"] as JsonObject;

  const taken = allStateNames(result);
  const renames = new Map<string, string>();
  const claim = (name: string): void => {
    const fresh = taken.has(name) ? copyName(name, taken) : name;
    taken.add(fresh);
    renames.set(name, fresh);
  };
  for (const name of names) claim(name);
  for (const name of names) for (const inner of innerNames(clip.states[name]!)) claim(inner);

  const copies: Record<string, StateDefinition> = {};
  for (const name of names) copies[renames.get(name)!] = structuredClone(clip.states[name]!);
  rewriteScope(copies, renames, new Set(names));
  Object.assign(target, copies);
  if (typeof holder["StartAt"] !== "string" || !(holder["StartAt"] in target)) {
    holder["StartAt"] = renames.get(names[0]!)!;
  }

  const positions: Layout = {};
  for (const [relative, p] of Object.entries(clip.positions)) {
    const segments = segmentsOf(relative).map((s, i) =>
      // Every "States/<name>" segment pair names a state: the copy's name replaces it.
      i > 0 && segmentsOf(relative)[i - 1] === "States" ? (renames.get(s) ?? s) : s,
    );
    const top = segments.length === 2;
    const pointer = `${scope}${segments.map((s) => `/${s.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")}`;
    const key = top ? stateKey(scope, segments[1]!) : pointer;
    positions[key] = top ? { x: p.x + offset.x, y: p.y + offset.y } : p;
  }
  return {
    definition: result,
    keys: names.map((name) => stateKey(scope, renames.get(name)!)),
    positions,
  };
}

/**
 * Moves states (with all inside them) from scope ``from`` into scope ``to``, keeping their
 * names and their insides' positions; the first lands at ``at``, the others as they stood to
 * it. In the box they leave, what led to them is cut as a delete cuts it (edits.deleteState);
 * their own arrows to states left behind are cleared as a paste clears them.
 */
export function moveStates(
  definition: Definition,
  from: string,
  names: string[],
  to: string,
  positions: Layout,
  at: { x: number; y: number },
): Pasted {
  if (from === to || names.length === 0) return { definition, keys: [], positions: {} };
  if (names.some((name) => isWithin(to, stateKey(from, name)))) {
    throw new Error("A Map or Parallel cannot go inside itself.");
  }
  const clip = copyStates(definition, from, names, positions);
  let left = definition;
  for (const name of names) left = editScope(left, from, (scope) => deleteState(scope, name));
  const first = (clip.positions[statePointerIn("", names[0]!)] ??= { x: 0, y: 0 });
  return pasteStates(left, to, clip, { x: at.x - first.x, y: at.y - first.y });
}
