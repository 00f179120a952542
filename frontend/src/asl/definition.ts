// Tolerant readers: the definition being edited may be half-written, so every accessor copes
// with missing or mistyped fields instead of throwing.
import { isObject, type Definition, type JsonValue, type StateDefinition } from "./types";

export function statesOf(definition: Definition): Record<string, StateDefinition> {
  const states = definition["States"];
  if (!isObject(states)) return {};
  const result: Record<string, StateDefinition> = {};
  for (const [name, state] of Object.entries(states)) {
    result[name] = isObject(state) ? state : {};
  }
  return result;
}

export function stateNames(definition: Definition): string[] {
  return Object.keys(statesOf(definition));
}

export function stringField(state: StateDefinition, field: string): string | null {
  const value = state[field];
  return typeof value === "string" ? value : null;
}

export function typeOf(state: StateDefinition): string {
  return stringField(state, "Type") ?? "Unknown";
}

export function arrayField(state: StateDefinition, field: string): JsonValue[] {
  const value = state[field];
  return Array.isArray(value) ? value : [];
}

/** The states a Map or Parallel runs inside it, by name (every branch's); null for other types. */
export function innerStates(state: StateDefinition): Record<string, StateDefinition> | null {
  const type = typeOf(state);
  if (type === "Map") {
    const processor = state["ItemProcessor"] ?? state["Iterator"];
    return isObject(processor) ? statesOf(processor) : {};
  }
  if (type === "Parallel") {
    return arrayField(state, "Branches").reduce<Record<string, StateDefinition>>(
      (all, branch) => (isObject(branch) ? { ...all, ...statesOf(branch) } : all),
      {},
    );
  }
  return null;
}

/** How many states a Map or Parallel runs inside it; null for other types. */
export function innerStateCount(state: StateDefinition): number | null {
  const type = typeOf(state);
  if (type === "Parallel") {
    // Branches may reuse a name; each branch's states count.
    return arrayField(state, "Branches").reduce<number>(
      (total, branch) => total + (isObject(branch) ? stateNames(branch).length : 0),
      0,
    );
  }
  const inner = innerStates(state);
  return inner === null ? null : Object.keys(inner).length;
}

/** Terminal states end the run: Succeed, Fail, or any state marked End. */
export function isTerminal(state: StateDefinition): boolean {
  const type = typeOf(state);
  return type === "Succeed" || type === "Fail" || state["End"] === true;
}
