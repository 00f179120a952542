// Every change the canvas or the form makes to the ASL is one of these pure functions: each
// takes a definition and returns a new one, so the code view, undo-free saving and the unit
// tests all see exactly the ASL an edit produces.
import { approvalTemplate, type PaletteItem } from "./approval";
import { arrayField, statesOf, stringField, typeOf } from "./definition";
import { describeRule } from "./transitions";
import { allStateNames } from "./scopes";
import {
  isObject,
  type Definition,
  type JsonObject,
  type JsonValue,
  type StateDefinition,
  type StateType,
  type Transition,
} from "./types";

export class EditError extends Error {}

function clone(definition: Definition): Definition {
  return structuredClone(definition);
}

function mutableStates(definition: Definition): JsonObject {
  if (!isObject(definition["States"])) definition["States"] = {};
  return definition["States"] as JsonObject;
}

function stateOrThrow(definition: Definition, name: string): JsonObject {
  const states = mutableStates(definition);
  if (!(name in states)) throw new EditError(`There is no state named "${name}".`);
  const state = states[name];
  if (!isObject(state)) {
    throw new EditError(`State "${name}" is not a JSON object; fix it in the code view.`);
  }
  return state;
}

function innerMachine(startAt: string): JsonObject {
  return { StartAt: startAt, States: { [startAt]: { Type: "Pass", End: true } } };
}

/** What a freshly added state of each type looks like: the least that makes it valid. */
export function templateFor(type: PaletteItem): StateDefinition {
  switch (type) {
    case "Approval":
      return approvalTemplate();
    case "Pass":
      return { Type: "Pass", End: true };
    case "Task":
      return {
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:000000000000:function:echo",
        End: true,
      };
    case "Choice":
      return { Type: "Choice", Choices: [] };
    case "Wait":
      return { Type: "Wait", Seconds: 1, End: true };
    case "Succeed":
      return { Type: "Succeed" };
    case "Fail":
      return { Type: "Fail", Error: "Failed", Cause: "" };
    case "Parallel":
      return { Type: "Parallel", Branches: [innerMachine("Branch step")], End: true };
    case "Map":
      return {
        Type: "Map",
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...innerMachine("Item step") },
        End: true,
      };
  }
}

export function uniqueName(definition: Definition, base: string): string {
  // Names are unique across the whole machine, inner states included, as AWS requires.
  const taken = allStateNames(definition);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base} ${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function addState(
  definition: Definition,
  type: PaletteItem,
  name: string = uniqueName(definition, type),
): { definition: Definition; name: string } {
  const result = clone(definition);
  const states = mutableStates(result);
  if (name in states) throw new EditError(`A state named "${name}" already exists.`);
  states[name] = templateFor(type);
  if (typeof result["StartAt"] !== "string" || !(result["StartAt"] in states)) {
    result["StartAt"] = name;
  }
  return { definition: result, name };
}

/**
 * Rewrites every reference to a state within one scope (a scope cannot point into another).
 * With `to` null the state is gone: a Next ends the run instead, a Default goes, and a Choice
 * rule or Catch keeps its condition but loses its target, so no rule disappears unseen.
 */
function retarget(definition: Definition, from: string, to: string | null): void {
  if (definition["StartAt"] === from) {
    if (to === null) {
      const first = Object.keys(mutableStates(definition))[0];
      if (first === undefined) delete definition["StartAt"];
      else definition["StartAt"] = first;
    } else definition["StartAt"] = to;
  }
  for (const state of Object.values(mutableStates(definition))) {
    if (!isObject(state)) continue;
    if (state["Next"] === from) {
      if (to === null) {
        delete state["Next"];
        state["End"] = true;
      } else state["Next"] = to;
    }
    if (state["Default"] === from) {
      if (to === null) delete state["Default"];
      else state["Default"] = to;
    }
    for (const list of ["Choices", "Catch"] as const) {
      const entries = state[list];
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        if (!isObject(entry) || entry["Next"] !== from) continue;
        if (to === null) delete entry["Next"];
        else entry["Next"] = to;
      }
    }
  }
}

/**
 * In plain words, everything in a scope that leads to a state: what deleting it would cut.
 * States in `ignoring` (deleted along with it) do not count.
 */
export function referencesTo(
  definition: Definition,
  name: string,
  ignoring: ReadonlySet<string> = new Set(),
): string[] {
  const found: string[] = [];
  if (definition["StartAt"] === name) found.push("The run starts here.");
  for (const [source, state] of Object.entries(statesOf(definition))) {
    if (source === name || ignoring.has(source)) continue;
    if (stringField(state, "Next") === name) found.push(`"${source}" goes on to it.`);
    arrayField(state, "Choices").forEach((rule, index) => {
      if (isObject(rule) && rule["Next"] === name) {
        found.push(`Rule ${index + 1} of "${source}" (${describeRule(rule)}) leads to it.`);
      }
    });
    if (stringField(state, "Default") === name) found.push(`"${source}" goes to it by default.`);
    arrayField(state, "Catch").forEach((catcher, index) => {
      if (isObject(catcher) && catcher["Next"] === name) {
        found.push(`Error handler ${index + 1} of "${source}" leads to it.`);
      }
    });
  }
  return found;
}

export function renameState(definition: Definition, from: string, to: string): Definition {
  const name = to.trim();
  if (name === from) return definition;
  if (name === "") throw new EditError("A state needs a name.");
  if (name.length > 80) throw new EditError("A state name has at most 80 characters.");
  const result = clone(definition);
  const states = mutableStates(result);
  if (name in states) throw new EditError(`A state named "${name}" already exists.`);
  stateOrThrow(result, from);
  // Rebuild the object so the renamed state keeps its place in the code view.
  result["States"] = Object.fromEntries(
    Object.entries(states).map(([key, value]) => [key === from ? name : key, value]),
  );
  retarget(result, from, name);
  return result;
}

export function deleteState(definition: Definition, name: string): Definition {
  const result = clone(definition);
  const states = mutableStates(result);
  if (!(name in states)) throw new EditError(`There is no state named "${name}".`);
  delete states[name];
  retarget(result, name, null);
  return result;
}

/** Sets (or with undefined, removes) one field of a state. */
export function setField(
  definition: Definition,
  state: string,
  field: string,
  value: JsonValue | undefined,
): Definition {
  const result = clone(definition);
  const target = stateOrThrow(result, state);
  if (value === undefined) delete target[field];
  else target[field] = value;
  return result;
}

/** Points a state at the next one, or (with null) makes it the end of the run. */
export function setNext(definition: Definition, state: string, next: string | null): Definition {
  const result = clone(definition);
  const target = stateOrThrow(result, state);
  if (next === null) {
    delete target["Next"];
    target["End"] = true;
  } else {
    delete target["End"];
    target["Next"] = next;
  }
  return result;
}

export function setStartAt(definition: Definition, state: string): Definition {
  const result = clone(definition);
  stateOrThrow(result, state);
  result["StartAt"] = state;
  return result;
}

const CARRIED_OVER = ["Comment", "Next", "End", "InputPath", "OutputPath"];

/** Changes a state's type, keeping the fields both types understand. */
export function changeType(definition: Definition, state: string, type: StateType): Definition {
  const result = clone(definition);
  const previous = stateOrThrow(result, state);
  if (typeOf(previous) === type) return definition;
  const replacement = templateFor(type);
  const terminal = type === "Succeed" || type === "Fail" || type === "Choice";
  for (const field of CARRIED_OVER) {
    const value = previous[field];
    if (value === undefined) continue;
    if (terminal && (field === "Next" || field === "End")) continue;
    replacement[field] = value;
  }
  if ("Next" in replacement) delete replacement["End"];
  mutableStates(result)[state] = replacement;
  return result;
}

/** What dragging a handle from one state to another means for the source's type. */
export function connect(definition: Definition, source: string, target: string): Definition {
  const result = clone(definition);
  const state = stateOrThrow(result, source);
  stateOrThrow(result, target);
  const type = typeOf(state);
  if (type === "Succeed" || type === "Fail") {
    throw new EditError(`A ${type} state ends the run; it cannot lead to "${target}".`);
  }
  if (type === "Choice") {
    if (typeof state["Default"] !== "string") {
      state["Default"] = target;
    } else {
      const rules = Array.isArray(state["Choices"]) ? state["Choices"] : [];
      rules.push({ Variable: "$", IsPresent: true, Next: target });
      state["Choices"] = rules;
    }
    return result;
  }
  delete state["End"];
  state["Next"] = target;
  return result;
}

/** Removes the transition an edge stands for. */
export function disconnect(definition: Definition, transition: Transition): Definition {
  const result = clone(definition);
  const state = stateOrThrow(result, transition.source);
  switch (transition.kind) {
    case "next":
      delete state["Next"];
      state["End"] = true;
      break;
    case "default":
      delete state["Default"];
      break;
    case "choice":
    case "catch": {
      const list = transition.kind === "choice" ? "Choices" : "Catch";
      const entries = state[list];
      if (Array.isArray(entries)) entries.splice(transition.index, 1);
      break;
    }
  }
  return result;
}

/** Whether the machine has any state yet; the canvas shows a getting-started hint otherwise. */
export function hasStates(definition: Definition): boolean {
  return Object.keys(statesOf(definition)).length > 0;
}

/** "States.Timeout, MyError" as typed in the form → the ErrorEquals list. */
export function parseErrorList(text: string): string[] {
  return text
    .split(",")
    .map((error) => error.trim())
    .filter((error) => error !== "");
}

/** A new branch for a Parallel, holding one step. */
export function addBranch(definition: Definition, state: string, stepName: string): Definition {
  const result = clone(definition);
  const target = stateOrThrow(result, state);
  if (typeOf(target) !== "Parallel") throw new EditError(`"${state}" is not a Parallel state.`);
  const branches = Array.isArray(target["Branches"]) ? target["Branches"] : [];
  branches.push(innerMachine(stepName));
  target["Branches"] = branches;
  return result;
}

/** Removes one branch of a Parallel; a Parallel keeps at least one. */
export function removeBranch(definition: Definition, state: string, index: number): Definition {
  const result = clone(definition);
  const target = stateOrThrow(result, state);
  const branches = Array.isArray(target["Branches"]) ? target["Branches"] : [];
  if (branches.length <= 1) throw new EditError("A Parallel state needs at least one branch.");
  if (index < 0 || index >= branches.length) throw new EditError("There is no such branch.");
  branches.splice(index, 1);
  target["Branches"] = branches;
  return result;
}
