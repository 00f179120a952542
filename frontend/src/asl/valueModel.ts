// The key–value editor's model of a payload template (Parameters, Arguments, ResultSelector,
// ItemSelector, Output, Assign, a Pass Result, a run input). Each value has a kind the form
// shows; `toForm` reads ASL into it and `fromForm` writes it back. A value the form cannot
// show exactly (checked by `representable`) stays in the raw-JSON box, so opening and saving
// never changes a definition.
//
// Modes: "jsonpath" (a key ending in ".$" takes a path or intrinsic — ASL "Payload templates"),
// "jsonata" (a string "{% ... %}" is an expression — AWS "Transforming data with JSONata"),
// "literal" (a Pass Result or a run input: plain data, nothing evaluated).
import { formatCall, parseCall, type IntrinsicCall } from "./intrinsics";
import { isObject, type JsonObject, type JsonValue } from "./types";

export type Mode = "jsonpath" | "jsonata" | "literal";

export type FormValue =
  | { kind: "text"; text: string }
  | { kind: "number"; number: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "list"; items: FormValue[] }
  | { kind: "object"; entries: FormEntry[] }
  /** A value from the data, always held as a JSONPath such as `$.customer.tier`. */
  | { kind: "path"; path: string }
  | { kind: "intrinsic"; call: IntrinsicCall }
  /** Any other expression, kept as typed: JSONata inside {% %}, or a JSONPath-mode `.$` text. */
  | { kind: "expression"; text: string };

export type ValueKind = FormValue["kind"];

export interface FormEntry {
  key: string;
  value: FormValue;
}

export const KIND_LABELS: Record<ValueKind, string> = {
  text: "Text",
  number: "Number",
  boolean: "True / false",
  null: "Nothing (null)",
  list: "List",
  object: "Group of fields",
  path: "From the data",
  intrinsic: "Function",
  expression: "Expression",
};

/** The kinds a value may take in a mode; lists hold no `.$` keys of their own in JSONPath. */
export function kindsFor(mode: Mode, inList: boolean): ValueKind[] {
  const plain: ValueKind[] = ["text", "number", "boolean", "null", "list", "object"];
  if (mode === "literal") return plain;
  if (mode === "jsonata") return [...plain, "path", "expression"];
  return inList ? plain : [...plain, "path", "intrinsic", "expression"];
}

const JSONATA = /^\{%([\s\S]*)%\}$/;
const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `$.a.b[0]` as JSONata over the state input: `$states.input.a.b[0]`; null if it can't be. */
export function pathToJsonata(path: string): string | null {
  const segments = pathSegments(path);
  if (segments === null) return null;
  let out = "$states.input";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else out += SIMPLE_NAME.test(s) ? `.${s}` : `.\`${s.replace(/`/g, "")}\``;
  }
  return out;
}

function jsonataToPath(expression: string): string | null {
  const text = expression.trim();
  if (!text.startsWith("$states.input")) return null;
  const rest = text.slice("$states.input".length);
  const segments: (string | number)[] = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\.`([^`]+)`|\[(\d+)\]/y;
  let at = 0;
  while (at < rest.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(rest);
    if (!m) return null;
    segments.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2] ?? ""));
    at = pattern.lastIndex;
  }
  return pathOf(segments);
}

/** A JSONPath from the names and positions leading to a value: `$.customer['first name']`. */
export function pathOf(segments: (string | number)[]): string {
  let out = "$";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else
      out += SIMPLE_NAME.test(s) ? `.${s}` : `['${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** The segments of a plain JSONPath (dots, quoted names, positions), or null for filters etc. */
export function pathSegments(path: string): (string | number)[] | null {
  if (!path.startsWith("$")) return null;
  const segments: (string | number)[] = [];
  const pattern =
    /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/y;
  let at = 1;
  while (at < path.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(path);
    if (!m) return null;
    if (m[4] !== undefined) segments.push(Number(m[4]));
    else segments.push((m[1] ?? m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1"));
    at = pattern.lastIndex;
  }
  return segments;
}

/** The form's view of a value found under a key (`dynamic` when the key ended in ".$"). */
export function toForm(value: JsonValue, mode: Mode, dynamic = false): FormValue {
  if (dynamic && typeof value === "string") {
    if (value.startsWith("States.")) {
      const call = parseCall(value);
      if (call && formatCall(call) === value) return { kind: "intrinsic", call };
    }
    // Any path: the input's ($.x), the context's ($$.Execution.Id) or a variable's ($total).
    if (value.startsWith("$")) return { kind: "path", path: value };
    return { kind: "expression", text: value };
  }
  if (typeof value === "string") {
    const jsonata = mode === "jsonata" ? JSONATA.exec(value) : null;
    if (jsonata) {
      const path = jsonataToPath(jsonata[1] ?? "");
      if (path !== null && value === `{% ${pathToJsonata(path)} %}`) return { kind: "path", path };
      return { kind: "expression", text: value };
    }
    return { kind: "text", text: value };
  }
  if (typeof value === "number") return { kind: "number", number: value };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (value === null) return { kind: "null" };
  if (Array.isArray(value)) return { kind: "list", items: value.map((v) => toForm(v, mode)) };
  return { kind: "object", entries: objectEntries(value, mode) };
}

function objectEntries(value: JsonObject, mode: Mode): FormEntry[] {
  return Object.entries(value).map(([key, v]) => {
    const dynamic = mode === "jsonpath" && key.endsWith(".$");
    return { key: dynamic ? key.slice(0, -2) : key, value: toForm(v, mode, dynamic) };
  });
}

/** Whether a kind is written under a key with the ".$" suffix. */
export function isDynamic(value: FormValue, mode: Mode): boolean {
  return (
    mode === "jsonpath" &&
    (value.kind === "path" || value.kind === "intrinsic" || value.kind === "expression")
  );
}

export function fromForm(value: FormValue, mode: Mode): JsonValue {
  switch (value.kind) {
    case "text":
      return value.text;
    case "number":
      return value.number;
    case "boolean":
      return value.value;
    case "null":
      return null;
    case "list":
      return value.items.map((v) => fromForm(v, mode));
    case "object": {
      const out: JsonObject = {};
      for (const { key, value: v } of value.entries) {
        out[isDynamic(v, mode) ? `${key}.$` : key] = fromForm(v, mode);
      }
      return out;
    }
    case "path":
      return mode === "jsonata"
        ? `{% ${pathToJsonata(value.path) ?? "$states.input"} %}`
        : value.path;
    case "intrinsic":
      return formatCall(value.call);
    case "expression":
      return value.text;
  }
}

/** True when the form shows the value exactly, so writing it back changes nothing. */
export function representable(value: JsonValue, mode: Mode): boolean {
  return sameJson(fromForm(toForm(value, mode), mode), value);
}

export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => sameJson(v, b[i] as JsonValue))
    );
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k, i) => k === kb[i] && sameJson(a[k] as JsonValue, b[k] as JsonValue))
    );
  }
  return a === b;
}

/** A fresh value of a kind, keeping what it can of the old one (text stays text, etc.). */
export function blankOf(kind: ValueKind, old?: FormValue): FormValue {
  const text = old?.kind === "text" ? old.text : old?.kind === "number" ? String(old.number) : "";
  switch (kind) {
    case "text":
      return { kind, text };
    case "number": {
      const n = Number(text);
      return { kind, number: text.trim() !== "" && Number.isFinite(n) ? n : 0 };
    }
    case "boolean":
      return { kind, value: true };
    case "null":
      return { kind };
    case "list":
      return { kind, items: [] };
    case "object":
      return { kind, entries: [] };
    case "path":
      return { kind, path: old?.kind === "path" ? old.path : "$" };
    case "intrinsic":
      return { kind, call: { name: "States.Format", args: [{ kind: "text", text: "" }] } };
    case "expression":
      return { kind, text: "{% %}" };
  }
}

/** A key not yet used among the entries: field, field2, field3... */
export function freshKey(entries: FormEntry[], base = "field"): string {
  const used = new Set(entries.map((e) => e.key));
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/** A one-line description of a value, for folded rows and hints. */
export function describeValue(value: FormValue): string {
  switch (value.kind) {
    case "text":
      return `“${value.text}”`;
    case "number":
      return String(value.number);
    case "boolean":
      return value.value ? "true" : "false";
    case "null":
      return "nothing";
    case "list":
      return `a list of ${value.items.length}`;
    case "object":
      return `${value.entries.length} field${value.entries.length === 1 ? "" : "s"}`;
    case "path":
      return value.path === "$" ? "all of the input" : `the input’s ${value.path.slice(2)}`;
    case "intrinsic":
      return value.call.name.replace("States.", "");
    case "expression":
      return value.text;
  }
}

export { isObject };
