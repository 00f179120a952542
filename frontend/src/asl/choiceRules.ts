// Choice rules as forms (https://states-language.net/#choice-state): a comparison is a variable,
// an operator and a value (or a second path); And/Or/Not nest them to any depth; a JSONata rule
// is one Condition. Each rule also reads as a sentence: "amount is greater than 1000".
import { isObject, type JsonObject, type JsonValue } from "./types";

export const OPERATORS = [
  "StringEquals",
  "StringLessThan",
  "StringGreaterThan",
  "StringLessThanEquals",
  "StringGreaterThanEquals",
  "StringMatches",
  "NumericEquals",
  "NumericLessThan",
  "NumericGreaterThan",
  "NumericLessThanEquals",
  "NumericGreaterThanEquals",
  "BooleanEquals",
  "TimestampEquals",
  "TimestampLessThan",
  "TimestampGreaterThan",
  "TimestampLessThanEquals",
  "TimestampGreaterThanEquals",
  "IsNull",
  "IsPresent",
  "IsNumeric",
  "IsString",
  "IsBoolean",
  "IsTimestamp",
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface SimpleRule {
  variable: string;
  operator: Operator;
  /** Compare with the value at this path rather than a literal (the ...Path operators). */
  usesPath: boolean;
  value: string;
  next: string;
}

function isOperator(key: string): key is Operator {
  return (OPERATORS as readonly string[]).includes(key);
}

/** The form's view of a rule, or null when the rule is more than one comparison. */
export function parseSimpleRule(rule: JsonValue): SimpleRule | null {
  if (!isObject(rule)) return null;
  const { Variable, Next, ...rest } = rule;
  if (typeof Variable !== "string" || (Next !== undefined && typeof Next !== "string")) return null;
  const extra = Object.keys(rest).filter((k) => k !== "Comment");
  if (extra.length !== 1) return null;
  const key = extra[0] as string;
  const usesPath = key.endsWith("Path") && !key.startsWith("Is");
  const operator = usesPath ? key.slice(0, -4) : key;
  if (!isOperator(operator)) return null;
  const value = rest[key];
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  return { variable: Variable, operator, usesPath, value: text, next: Next ?? "" };
}

/** Builds the ASL rule a form describes, or explains why the value does not fit the operator. */
export function buildSimpleRule(
  form: SimpleRule,
  comment?: JsonValue,
): { rule: JsonObject } | { error: string } {
  if (!form.variable.startsWith("$"))
    return { error: "The variable is a path starting with $, e.g. $.order.total." };
  let value: JsonValue = form.value;
  if (form.usesPath) {
    if (!form.value.startsWith("$")) return { error: "Compare with a path starting with $." };
  } else if (form.operator.startsWith("Numeric")) {
    const n = Number(form.value);
    if (form.value.trim() === "" || Number.isNaN(n))
      return { error: "Enter a number to compare with." };
    value = n;
  } else if (form.operator === "BooleanEquals" || form.operator.startsWith("Is")) {
    if (form.value !== "true" && form.value !== "false") return { error: "Choose true or false." };
    value = form.value === "true";
  }
  const key = form.usesPath ? `${form.operator}Path` : form.operator;
  // No Next until one is chosen (and never inside And/Or/Not): never a silent loop.
  const rule: JsonObject = { Variable: form.variable, [key]: value };
  if (form.next !== "") rule["Next"] = form.next;
  if (comment !== undefined) rule["Comment"] = comment;
  return { rule };
}

export const OPERATOR_LABELS: Record<Operator, string> = {
  StringEquals: "text equals",
  StringLessThan: "text sorts before",
  StringGreaterThan: "text sorts after",
  StringLessThanEquals: "text sorts before or equals",
  StringGreaterThanEquals: "text sorts after or equals",
  StringMatches: "text matches pattern (*)",
  NumericEquals: "number =",
  NumericLessThan: "number <",
  NumericGreaterThan: "number >",
  NumericLessThanEquals: "number ≤",
  NumericGreaterThanEquals: "number ≥",
  BooleanEquals: "is true/false",
  TimestampEquals: "time is",
  TimestampLessThan: "time is before",
  TimestampGreaterThan: "time is after",
  TimestampLessThanEquals: "time is at or before",
  TimestampGreaterThanEquals: "time is at or after",
  IsNull: "is null",
  IsPresent: "is present",
  IsNumeric: "is a number",
  IsString: "is text",
  IsBoolean: "is true or false",
  IsTimestamp: "is a timestamp",
};

/** Keeps the value when it still fits a newly chosen operator, else offers a sensible one. */
export function adaptValue(operator: Operator, value: string, usesPath: boolean): string {
  if (usesPath) return value;
  if (operator === "BooleanEquals" || operator.startsWith("Is")) {
    return value === "false" ? "false" : "true";
  }
  if (operator.startsWith("Numeric"))
    return Number.isNaN(Number(value)) || value.trim() === "" ? "0" : value;
  return value;
}

/** Operators that have a ...Path form comparing two values of the data. */
export function hasPathVariant(operator: Operator): boolean {
  return !operator.startsWith("Is") && operator !== "StringMatches";
}

export const OPERATOR_GROUPS: { label: string; operators: Operator[] }[] = [
  { label: "Text", operators: OPERATORS.filter((o) => o.startsWith("String")) },
  { label: "Number", operators: OPERATORS.filter((o) => o.startsWith("Numeric")) },
  { label: "True / false", operators: ["BooleanEquals"] },
  { label: "Date and time", operators: OPERATORS.filter((o) => o.startsWith("Timestamp")) },
  { label: "Checks", operators: OPERATORS.filter((o) => o.startsWith("Is")) },
];

/** What an operator says, in words, between the value and what it is compared with. */
export const PHRASES: Record<Operator, string> = {
  StringEquals: "is",
  StringLessThan: "comes before",
  StringGreaterThan: "comes after",
  StringLessThanEquals: "comes before or is",
  StringGreaterThanEquals: "comes after or is",
  StringMatches: "matches the pattern",
  NumericEquals: "equals",
  NumericLessThan: "is less than",
  NumericGreaterThan: "is greater than",
  NumericLessThanEquals: "is at most",
  NumericGreaterThanEquals: "is at least",
  BooleanEquals: "is",
  TimestampEquals: "is the time",
  TimestampLessThan: "is before",
  TimestampGreaterThan: "is after",
  TimestampLessThanEquals: "is at or before",
  TimestampGreaterThanEquals: "is at or after",
  IsNull: "is null",
  IsPresent: "is present",
  IsNumeric: "is a number",
  IsString: "is text",
  IsBoolean: "is true or false",
  IsTimestamp: "is a timestamp",
};

const NEGATED: Partial<Record<Operator, string>> = {
  IsNull: "is not null",
  IsPresent: "is missing",
  IsNumeric: "is not a number",
  IsString: "is not text",
  IsBoolean: "is not true or false",
  IsTimestamp: "is not a timestamp",
};

/** A path in words: `$.order.amount` -> `order.amount`, `$` -> `the input`. */
export function pathWords(path: string): string {
  if (path === "$") return "the input";
  if (path.startsWith("$.")) return path.slice(2);
  return path;
}

/** A rule (or part of one) as a sentence; null when it is not one ASL knows. */
export function describeCondition(rule: JsonValue): string | null {
  if (!isObject(rule)) return null;
  if (typeof rule["Condition"] === "string") return `the expression ${rule["Condition"]} is true`;
  for (const [key, joiner] of [
    ["And", " and "],
    ["Or", " or "],
  ] as const) {
    const parts = rule[key];
    if (Array.isArray(parts)) {
      const words = parts.map((p) => describeCondition(p));
      if (words.some((w) => w === null) || words.length === 0) return null;
      return words.length === 1 ? (words[0] as string) : words.map((w) => `(${w})`).join(joiner);
    }
  }
  if (isObject(rule["Not"])) {
    const inner = describeCondition(rule["Not"]);
    return inner === null ? null : `not (${inner})`;
  }
  const form = parseSimpleRule(rule);
  if (!form) return null;
  const subject = pathWords(form.variable);
  if (form.operator.startsWith("Is") && !form.usesPath) {
    const phrase = form.value === "false" ? NEGATED[form.operator] : PHRASES[form.operator];
    return `${subject} ${phrase}`;
  }
  const object = form.usesPath
    ? `the value at ${pathWords(form.value)}`
    : form.operator.startsWith("String") || form.operator.startsWith("Timestamp")
      ? `“${form.value}”`
      : form.value;
  return `${subject} ${PHRASES[form.operator]} ${object}`;
}

/** The fields of a top-level rule that are not its condition: where it goes, and what it does. */
const RULE_EXTRAS = ["Next", "Comment", "Assign", "Output"];

export function splitRule(rule: JsonObject): { condition: JsonObject; extras: JsonObject } {
  const condition: JsonObject = {};
  const extras: JsonObject = {};
  for (const [k, v] of Object.entries(rule)) (RULE_EXTRAS.includes(k) ? extras : condition)[k] = v;
  return { condition, extras };
}

/** A new comparison: the whole input, text equal to nothing yet. */
export function newComparison(language: "JSONPath" | "JSONata"): JsonObject {
  return language === "JSONata"
    ? { Condition: "{% $states.input.value = 'yes' %}" }
    : { Variable: "$", StringEquals: "" };
}
