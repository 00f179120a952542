// Intrinsic functions (States.Format(...), States.Array(...)) as a form: which function, and
// each argument typed. Parsing and printing follow the ASL spec's intrinsic-function grammar
// (https://states-language.net/#intrinsic-functions): string literals in single quotes with
// \' \{ \} \\ escapes, numbers, true/false/null, paths, and nested calls.

export type IntrinsicArg =
  | { kind: "text"; text: string }
  | { kind: "number"; number: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "path"; path: string }
  | { kind: "call"; call: IntrinsicCall };

export interface IntrinsicCall {
  name: string;
  args: IntrinsicArg[];
}

export interface IntrinsicSpec {
  name: string;
  /** What it does, in plain words. */
  help: string;
  /** The names of its arguments; the last repeats when `variadic`. */
  args: string[];
  variadic?: boolean;
  /** Arguments that may be left out at the end. */
  optional?: number;
}

export const INTRINSICS: IntrinsicSpec[] = [
  {
    name: "States.Format",
    help: "Fills the {} in a text with values, in order.",
    args: ["text with {}", "value"],
    variadic: true,
  },
  { name: "States.StringToJson", help: "Reads JSON text into data.", args: ["JSON text"] },
  { name: "States.JsonToString", help: "Writes data as JSON text.", args: ["value"] },
  { name: "States.Array", help: "Makes a list of the values.", args: ["value"], variadic: true },
  {
    name: "States.ArrayPartition",
    help: "Cuts a list into chunks of a size.",
    args: ["list", "chunk size"],
  },
  {
    name: "States.ArrayContains",
    help: "Whether a list holds a value.",
    args: ["list", "value"],
  },
  {
    name: "States.ArrayRange",
    help: "The numbers from a start to an end, by a step.",
    args: ["first", "last", "step"],
  },
  {
    name: "States.ArrayGetItem",
    help: "The item of a list at a position (0 is the first).",
    args: ["list", "position"],
  },
  { name: "States.ArrayLength", help: "How many items a list has.", args: ["list"] },
  { name: "States.ArrayUnique", help: "The list without repeated items.", args: ["list"] },
  { name: "States.Base64Encode", help: "Encodes text as Base64.", args: ["text"] },
  { name: "States.Base64Decode", help: "Decodes Base64 into text.", args: ["Base64 text"] },
  {
    name: "States.Hash",
    help: "A hash of the value (MD5, SHA-1, SHA-256, SHA-384 or SHA-512).",
    args: ["value", "algorithm"],
  },
  {
    name: "States.JsonMerge",
    help: "Merges two objects; keys of the second win.",
    args: ["first object", "second object", "deep merge (must be false)"],
  },
  {
    name: "States.MathRandom",
    help: "A random whole number from the start up to (not including) the end.",
    args: ["start", "end", "seed"],
    optional: 1,
  },
  { name: "States.MathAdd", help: "Adds two numbers.", args: ["number", "number to add"] },
  {
    name: "States.StringSplit",
    help: "Splits a text into a list at each separator character.",
    args: ["text", "separators"],
  },
  { name: "States.UUID", help: "A new random UUID (v4).", args: [] },
];

export const HASH_ALGORITHMS = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

export function specOf(name: string): IntrinsicSpec | undefined {
  return INTRINSICS.find((s) => s.name === name);
}

const NUMBER_ARGS = new Set([
  "chunk size",
  "first",
  "last",
  "step",
  "position",
  "start",
  "end",
  "seed",
  "number",
  "number to add",
]);

/** The arguments a new call of the function starts with. */
export function defaultArgs(name: string): IntrinsicArg[] {
  const spec = specOf(name);
  if (!spec) return [];
  const count = spec.args.length - (spec.optional ?? 0);
  return spec.args.slice(0, count).map((label): IntrinsicArg => {
    if (name === "States.Hash" && label === "algorithm") return { kind: "text", text: "SHA-256" };
    if (name === "States.JsonMerge" && label.startsWith("deep"))
      return { kind: "boolean", value: false };
    if (NUMBER_ARGS.has(label)) return { kind: "number", number: label === "step" ? 1 : 0 };
    // Lists, objects and values mostly come from the data; text is typed.
    if (/list|object|value/.test(label)) return { kind: "path", path: "$" };
    return { kind: "text", text: "" };
  });
}

// The text of a literal keeps its escapes but one: \' reads as ', so a form shows "it's".
// The {} of States.Format stay placeholders; \{ stays a literal brace, as typed.
function escapeText(text: string): string {
  return text.replace(/'/g, "\\'");
}

export function formatArg(arg: IntrinsicArg): string {
  switch (arg.kind) {
    case "text":
      return `'${escapeText(arg.text)}'`;
    case "number":
      return String(arg.number);
    case "boolean":
      return String(arg.value);
    case "null":
      return "null";
    case "path":
      return arg.path;
    case "call":
      return formatCall(arg.call);
  }
}

export function formatCall(call: IntrinsicCall): string {
  return `${call.name}(${call.args.map(formatArg).join(", ")})`;
}

/** Reads `States.X(...)`, or null when the text is not one whole intrinsic call. */
export function parseCall(text: string): IntrinsicCall | null {
  const reader = { text, at: 0 };
  const call = readCall(reader);
  skipSpace(reader);
  return call && reader.at === text.length ? call : null;
}

interface Reader {
  text: string;
  at: number;
}

function skipSpace(r: Reader): void {
  while (r.at < r.text.length && /\s/.test(r.text[r.at] as string)) r.at++;
}

function readCall(r: Reader): IntrinsicCall | null {
  skipSpace(r);
  const name = /^States\.[A-Za-z0-9]+/.exec(r.text.slice(r.at));
  if (!name) return null;
  r.at += name[0].length;
  skipSpace(r);
  if (r.text[r.at] !== "(") return null;
  r.at++;
  const args: IntrinsicArg[] = [];
  skipSpace(r);
  if (r.text[r.at] === ")") {
    r.at++;
    return { name: name[0], args };
  }
  for (;;) {
    const arg = readArg(r);
    if (!arg) return null;
    args.push(arg);
    skipSpace(r);
    const c = r.text[r.at];
    r.at++;
    if (c === ")") return { name: name[0], args };
    if (c !== ",") return null;
  }
}

function readArg(r: Reader): IntrinsicArg | null {
  skipSpace(r);
  const rest = r.text.slice(r.at);
  if (rest.startsWith("'")) {
    let text = "";
    let i = r.at + 1;
    while (i < r.text.length) {
      const c = r.text[i] as string;
      if (c === "\\") {
        const next = r.text[i + 1];
        if (next === undefined) return null;
        text += next === "'" ? "'" : `\\${next}`;
        i += 2;
      } else if (c === "'") {
        r.at = i + 1;
        return { kind: "text", text };
      } else {
        text += c;
        i++;
      }
    }
    return null;
  }
  if (rest.startsWith("States.")) {
    const call = readCall(r);
    return call ? { kind: "call", call } : null;
  }
  const word = /^(true|false|null)(?![\w.])/.exec(rest);
  if (word) {
    r.at += word[0].length;
    return word[0] === "null" ? { kind: "null" } : { kind: "boolean", value: word[0] === "true" };
  }
  const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
  if (number) {
    r.at += number[0].length;
    return { kind: "number", number: Number(number[0]) };
  }
  if (rest.startsWith("$")) {
    // A path runs to the comma or bracket that ends the argument, minding quoted names.
    let i = r.at;
    let depth = 0;
    let quote: string | null = null;
    for (; i < r.text.length; i++) {
      const c = r.text[i] as string;
      if (quote) {
        if (c === "\\") i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === "[" || c === "(") depth++;
      else if (c === "]" || (c === ")" && depth > 0)) depth--;
      else if ((c === "," || c === ")") && depth === 0) break;
    }
    const path = r.text.slice(r.at, i).trim();
    r.at = i;
    return { kind: "path", path };
  }
  return null;
}
