// A state at any depth is named by its key: a top-level state by its name (the format stored
// layouts always had), any other by the JSON pointer to it, such as
// /States/Process/ItemProcessor/States/Charge. A scope is a machine that holds states: the
// definition itself (pointer ""), a Map's ItemProcessor, or one branch of a Parallel.
import { arrayField, statesOf, typeOf } from "./definition";
import {
  isObject,
  type Definition,
  type JsonObject,
  type Layout,
  type StateDefinition,
} from "./types";

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function segmentsOf(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map(unescapeSegment);
}

export function pointerOf(segments: (string | number)[]): string {
  return segments.map((s) => `/${escapeSegment(String(s))}`).join("");
}

/** The JSON pointer of a state, from its scope's pointer and its name. */
export function statePointerIn(scope: string, name: string): string {
  return `${scope}/States/${escapeSegment(name)}`;
}

export function stateKey(scope: string, name: string): string {
  return scope === "" && !name.startsWith("/") ? name : statePointerIn(scope, name);
}

/** The pointer of the state a key names. */
export function keyPointer(key: string): string {
  return key.startsWith("/") ? key : statePointerIn("", key);
}

export interface StateAddress {
  scope: string;
  name: string;
}

export function addressOf(key: string): StateAddress {
  if (!key.startsWith("/")) return { scope: "", name: key };
  const segments = segmentsOf(key);
  const name = segments[segments.length - 1] ?? "";
  return { scope: pointerOf(segments.slice(0, -2)), name };
}

function walkTo(root: JsonObject, segments: string[]): unknown {
  let node: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

function resolve(root: JsonObject, pointer: string): JsonObject | null {
  const node = walkTo(root, segmentsOf(pointer));
  return isObject(node) ? node : null;
}

export function scopeAt(definition: Definition, scope: string): JsonObject | null {
  return resolve(definition, scope);
}

export function stateAt(definition: Definition, key: string): StateDefinition | null {
  const { scope, name } = addressOf(key);
  const holder = scopeAt(definition, scope);
  if (!holder || !isObject(holder["States"]) || !(name in holder["States"])) return null;
  const state = holder["States"][name];
  return isObject(state) ? state : {};
}

/** Applies an edit made for a whole machine to one scope of it; the rest stays as it was. */
export function editScope(
  definition: Definition,
  scope: string,
  change: (scope: Definition) => Definition,
): Definition {
  if (scope === "") return change(definition);
  const result = structuredClone(definition);
  const segments = segmentsOf(scope);
  const last = segments.pop();
  const parent = walkTo(result, segments);
  const current = scopeAt(result, scope);
  if (last === undefined || current === null || typeof parent !== "object" || parent === null) {
    throw new Error("That part of the machine no longer exists.");
  }
  (parent as Record<string, unknown>)[last] = change(current);
  return result;
}

export type InnerScopeKind = "map" | "branch";

export interface InnerScope {
  pointer: string;
  scope: JsonObject;
  kind: InnerScopeKind;
  index: number;
}

/** The machines a Map or Parallel runs inside it; none for other types. */
export function innerScopesOf(state: StateDefinition, statePointer: string): InnerScope[] {
  const type = typeOf(state);
  if (type === "Map") {
    for (const field of ["ItemProcessor", "Iterator"]) {
      const processor = state[field];
      if (isObject(processor)) {
        return [{ pointer: `${statePointer}/${field}`, scope: processor, kind: "map", index: 0 }];
      }
    }
    return [];
  }
  if (type === "Parallel") {
    return arrayField(state, "Branches").flatMap((branch, index) =>
      isObject(branch)
        ? [{ pointer: `${statePointer}/Branches/${index}`, scope: branch, kind: "branch", index }]
        : [],
    );
  }
  return [];
}

/** The pointer of the machine a Map runs (ItemProcessor, or the older Iterator). */
export function mapProcessorPointer(state: StateDefinition, key: string): string {
  const field = "Iterator" in state && !("ItemProcessor" in state) ? "Iterator" : "ItemProcessor";
  return `${keyPointer(key)}/${field}`;
}

/** The key of every state at every depth, parents before their inner states. */
export function allStateKeys(definition: Definition, scope = ""): string[] {
  const holder = scope === "" ? definition : scopeAt(definition, scope);
  if (!holder) return [];
  return Object.entries(statesOf(holder)).flatMap(([name, state]) => {
    const pointer = statePointerIn(scope, name);
    return [
      stateKey(scope, name),
      ...innerScopesOf(state, pointer).flatMap((inner) => allStateKeys(definition, inner.pointer)),
    ];
  });
}

/** Every scope of the machine: the top level (""), then each Map's and branch's, outer first. */
export function allScopes(definition: Definition): string[] {
  return [
    "",
    ...allStateKeys(definition).flatMap((key) =>
      innerScopesOf(stateAt(definition, key) ?? {}, keyPointer(key)).map((inner) => inner.pointer),
    ),
  ];
}

/** Where a scope is, in words: `“Each order” › branch 2 of “Split”`; "" for the top level. */
export function scopeLabel(scope: string): string {
  const parts: string[] = [];
  const pattern = /\/States\/([^/]+)(?:\/(ItemProcessor|Iterator)|\/Branches\/(\d+))/g;
  for (const match of scope.matchAll(pattern)) {
    const owner = addressOf(`/States/${match[1]}`).name;
    parts.push(
      match[3] === undefined ? `“${owner}”` : `branch ${Number(match[3]) + 1} of “${owner}”`,
    );
  }
  return parts.join(" › ");
}

/** Every name used anywhere in the machine, so a new state's name is unique at any depth. */
export function allStateNames(definition: Definition): Set<string> {
  return new Set(allStateKeys(definition).map((key) => addressOf(key).name));
}

/** The key a state (or anything inside it) gets when the state is renamed. */
export function renamedKey(key: string, from: string, to: string): string {
  if (key === from) return to;
  const prefix = `${keyPointer(from)}/`;
  return key.startsWith(prefix) ? `${keyPointer(to)}/${key.slice(prefix.length)}` : key;
}

/** Positions after a rename: the state and everything inside it keep where they were. */
export function renameInLayout(positions: Layout, from: string, to: string): Layout {
  return Object.fromEntries(
    Object.entries(positions).map(([key, p]) => [renamedKey(key, from, to), p]),
  );
}

/** Whether a key names a state or anything inside it. */
export function isWithin(key: string, outer: string): boolean {
  return key === outer || key.startsWith(`${keyPointer(outer)}/`);
}

/** The key of the Map or Parallel a scope belongs to; null for the top level. */
export function ownerOfScope(scope: string): string | null {
  if (scope === "") return null;
  const segments = segmentsOf(scope);
  const cut = segments[segments.length - 2] === "Branches" ? 2 : 1;
  const statePath = segments.slice(0, -cut);
  const name = statePath[statePath.length - 1] ?? "";
  return stateKey(pointerOf(statePath.slice(0, -2)), name);
}

/** Positions after branch `removed` of a Parallel is gone: later branches move up one. */
export function removeBranchFromLayout(
  positions: Layout,
  parallel: string,
  removed: number,
): Layout {
  const branches = `${keyPointer(parallel)}/Branches/`;
  const result: Layout = {};
  for (const [key, p] of Object.entries(positions)) {
    if (!key.startsWith(branches)) {
      result[key] = p;
      continue;
    }
    const rest = key.slice(branches.length);
    const index = Number(rest.split("/")[0]);
    if (index === removed) continue;
    const tail = rest.slice(String(index).length);
    result[index > removed ? `${branches}${index - 1}${tail}` : key] = p;
  }
  return result;
}
