// What changed between two definitions, state by state and arrow by arrow, in words a person
// reads: "Retry 1 › max attempts: 3 → 5", not two JSON documents side by side.
import { statesOf, typeOf } from "../../asl/definition";
import { addressOf, allStateKeys, innerScopesOf, stateAt, statePointerIn } from "../../asl/scopes";
import { transitionsOf } from "../../asl/transitions";
import { isObject, type Definition, type JsonValue, type Transition } from "../../asl/types";

export type DiffKind = "added" | "removed" | "changed" | "same";

/** One field that differs; `path` is the ASL path (Retry[0].MaxAttempts), `label` its words. */
export interface FieldChange {
  path: string;
  label: string;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
}

export interface StateDiff {
  key: string;
  name: string;
  type: string;
  kind: DiffKind;
  changes: FieldChange[];
}

export interface TransitionDiff {
  scope: string;
  transition: Transition;
  kind: "added" | "removed" | "changed";
  /** For a changed arrow (same rule, new target or label): what it was. */
  before?: Transition;
}

export interface DefinitionDiff {
  states: StateDiff[];
  transitions: TransitionDiff[];
  /** Fields of the machine itself (Comment, StartAt, TimeoutSeconds, QueryLanguage). */
  machine: FieldChange[];
}

// The words the forms use for these fields; any other field keeps its ASL name.
const FIELD_WORDS: Record<string, string> = {
  Type: "type",
  Next: "next state",
  End: "ends the run",
  Default: "default next state",
  Comment: "comment",
  Resource: "resource",
  Seconds: "seconds to wait",
  SecondsPath: "seconds to wait (from the data)",
  Timestamp: "wait until",
  TimestampPath: "wait until (from the data)",
  TimeoutSeconds: "timeout (seconds)",
  HeartbeatSeconds: "heartbeat (seconds)",
  InputPath: "input path",
  OutputPath: "output path",
  ResultPath: "result path",
  ResultSelector: "result selector",
  Parameters: "parameters",
  Arguments: "arguments",
  Output: "output",
  Assign: "variables set",
  Result: "fixed result",
  Error: "error name",
  Cause: "cause",
  ErrorEquals: "errors",
  MaxAttempts: "max attempts",
  IntervalSeconds: "interval (seconds)",
  BackoffRate: "back-off rate",
  MaxDelaySeconds: "max delay (seconds)",
  JitterStrategy: "jitter",
  MaxConcurrency: "max concurrency",
  ItemsPath: "items path",
  Items: "items",
  ItemSelector: "item selector",
  StartAt: "first state",
  QueryLanguage: "query language",
  Condition: "condition",
  Variable: "variable",
};
const LIST_WORDS: Record<string, string> = {
  Retry: "Retry",
  Catch: "Catch",
  Choices: "Rule",
  Branches: "Branch",
};

function words(segment: string, parent: string | null): string {
  if (/^\d+$/.test(segment) && parent !== null) {
    return `${LIST_WORDS[parent] ?? parent} ${Number(segment) + 1}`;
  }
  return FIELD_WORDS[segment] ?? segment;
}

/** "Retry 1 › max attempts" for ["Retry", "0", "MaxAttempts"]. */
export function fieldLabel(segments: string[]): string {
  const parts: string[] = [];
  segments.forEach((segment, i) => {
    const parent = i > 0 ? segments[i - 1]! : null;
    // A list's name is said by its items ("Retry 1"), so it is not said twice.
    if (segment in LIST_WORDS && i + 1 < segments.length && /^\d+$/.test(segments[i + 1]!)) return;
    parts.push(words(segment, parent));
  });
  return parts.join(" › ");
}

function pathOf(segments: string[]): string {
  return segments.reduce(
    (path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s),
    "",
  );
}

function equal(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Lists that read best item by item; any other list (ErrorEquals, Items) is one value.
const ITEMISED = new Set(Object.keys(LIST_WORDS));

/** The leaves that differ, down objects and itemised lists; a side missing is `undefined`. */
function fieldChanges(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  segments: string[],
  out: FieldChange[],
): void {
  if (equal(before, after)) return;
  const last = segments[segments.length - 1] ?? "";
  const bothObjects = isObject(before) && isObject(after);
  const bothLists = Array.isArray(before) && Array.isArray(after) && ITEMISED.has(last);
  if (bothObjects && segments.length > 0 && !isPayload(segments)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) fieldChanges(before[key], after[key], [...segments, key], out);
    return;
  }
  if (bothObjects && segments.length === 0) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) fieldChanges(before[key], after[key], [key], out);
    return;
  }
  if (bothLists) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++)
      fieldChanges(before[i], after[i], [...segments, String(i)], out);
    return;
  }
  out.push({ path: pathOf(segments), label: fieldLabel(segments), before, after });
}

// A payload template (Parameters, Assign…) is compared key by key one level down, then whole:
// "parameters › order.$: $.order → $.input.order" reads better than a dozen nested leaves.
const PAYLOADS = new Set([
  "Parameters",
  "ResultSelector",
  "Arguments",
  "Output",
  "Assign",
  "ItemSelector",
  "Result",
]);
function isPayload(segments: string[]): boolean {
  return segments.length >= 2 && PAYLOADS.has(segments[segments.length - 2]!);
}

/** The state without the states inside it: those are compared on their own. */
function ownFields(state: Definition): Definition {
  const own: Definition = { ...state };
  for (const field of ["ItemProcessor", "Iterator"]) {
    const processor = own[field];
    if (isObject(processor)) {
      const rest: Definition = { ...processor };
      delete rest["States"];
      own[field] = rest;
    }
  }
  const branches = own["Branches"];
  if (Array.isArray(branches)) {
    own["Branches"] = branches.map((branch) => {
      if (!isObject(branch)) return branch;
      const rest: Definition = { ...branch };
      delete rest["States"];
      return rest;
    });
  }
  return own;
}

interface ScopedTransition {
  scope: string;
  transition: Transition;
}

function allTransitions(definition: Definition): ScopedTransition[] {
  const walk = (holder: Definition, scope: string): ScopedTransition[] => [
    ...transitionsOf(holder).map((transition) => ({ scope, transition })),
    ...Object.entries(statesOf(holder)).flatMap(([name, state]) =>
      innerScopesOf(state, statePointerIn(scope, name)).flatMap((inner) =>
        walk(inner.scope, inner.pointer),
      ),
    ),
  ];
  return walk(definition, "");
}

/** Which rule or Next an arrow comes from: the same rule pointing elsewhere is a change. */
function originOf({ scope, transition: t }: ScopedTransition): string {
  return `${scope}|${t.source}|${t.kind}|${t.index}`;
}

export function diffDefinitions(before: Definition, after: Definition): DefinitionDiff {
  const beforeKeys = allStateKeys(before);
  const afterKeys = allStateKeys(after);
  const inBefore = new Set(beforeKeys);
  const inAfter = new Set(afterKeys);
  const states: StateDiff[] = [];
  // The newer order first, then what only the older one had, where it was.
  for (const key of [...afterKeys, ...beforeKeys.filter((k) => !inAfter.has(k))]) {
    const old = inBefore.has(key) ? stateAt(before, key) : null;
    const now = inAfter.has(key) ? stateAt(after, key) : null;
    const changes: FieldChange[] = [];
    if (old && now) fieldChanges(ownFields(old), ownFields(now), [], changes);
    states.push({
      key,
      name: addressOf(key).name,
      type: typeOf(now ?? old ?? {}),
      kind: !old ? "added" : !now ? "removed" : changes.length ? "changed" : "same",
      changes,
    });
  }

  const oldArrows = new Map(allTransitions(before).map((t) => [originOf(t), t]));
  const newArrows = new Map(allTransitions(after).map((t) => [originOf(t), t]));
  const transitions: TransitionDiff[] = [];
  for (const [origin, now] of newArrows) {
    const old = oldArrows.get(origin);
    if (!old) transitions.push({ ...now, kind: "added" });
    else if (old.transition.target !== now.transition.target) {
      // Drawn as two arrows: the old one ghosted, the new one added.
      transitions.push({ ...old, kind: "removed" }, { ...now, kind: "added" });
    } else if (old.transition.label !== now.transition.label) {
      transitions.push({ ...now, kind: "changed", before: old.transition });
    }
  }
  for (const [origin, old] of oldArrows) {
    if (!newArrows.has(origin)) transitions.push({ ...old, kind: "removed" });
  }

  const machine: FieldChange[] = [];
  for (const field of ["Comment", "StartAt", "TimeoutSeconds", "QueryLanguage", "Version"]) {
    fieldChanges(before[field], after[field], [field], machine);
  }
  return { states, transitions, machine };
}

/**
 * A value as a person reads it: text whole (what changed may be at its end; the list wraps),
 * "not set" for nothing, objects and lists as short "key: value" lines.
 */
export function valueText(value: JsonValue | undefined, limit = 80): string {
  if (value === undefined) return "not set";
  if (typeof value === "string") return value === "" ? "(empty text)" : value;
  if (value === null) return "null";
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    return value.map((v) => valueText(v)).join(", ") || "(empty list)";
  }
  const text = isObject(value)
    ? Object.entries(value)
        .map(
          ([k, v]) =>
            `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : valueText(v)}`,
        )
        .join(", ")
    : JSON.stringify(value);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text || "(empty)";
}

/** An arrow in words: "Check stock → Ship (rule 1: $.qty ≤ 10)". */
export function transitionText(t: Transition): string {
  const how =
    t.kind === "choice"
      ? ` (rule ${t.index + 1}: ${t.label})`
      : t.kind === "default"
        ? " (default)"
        : t.kind === "catch"
          ? ` (${t.label})`
          : "";
  return `${t.source} → ${t.target}${how}`;
}
