// Most Choice rules compare one variable with one value; those get a form (variable, operator,
// value, next) instead of raw JSON. Compound rules (And/Or/Not, JSONata) stay as JSON.
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
  const rule: JsonObject = { Variable: form.variable, [key]: value, Next: form.next };
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
