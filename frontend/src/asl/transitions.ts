// Every arrow of the canvas comes from here: Next, Choice rules, Default and Catch.
import { pathWords } from "./choiceRules";
import { arrayField, statesOf, stringField, typeOf } from "./definition";
import { isObject, type Definition, type JsonObject, type Transition } from "./types";

const COMPARATORS: Record<string, string> = {
  StringEquals: "=",
  StringLessThan: "<",
  StringGreaterThan: ">",
  StringLessThanEquals: "≤",
  StringGreaterThanEquals: "≥",
  StringMatches: "matches",
  NumericEquals: "=",
  NumericLessThan: "<",
  NumericGreaterThan: ">",
  NumericLessThanEquals: "≤",
  NumericGreaterThanEquals: "≥",
  BooleanEquals: "=",
  TimestampEquals: "=",
  TimestampLessThan: "<",
  TimestampGreaterThan: ">",
  TimestampLessThanEquals: "≤",
  TimestampGreaterThanEquals: "≥",
  IsNull: "is null",
  IsPresent: "is present",
  IsNumeric: "is numeric",
  IsString: "is string",
  IsBoolean: "is boolean",
  IsTimestamp: "is timestamp",
};

/** A short, readable label for a Choice rule, e.g. `quantity ≤ 10`: paths in the words the
 * rule form uses (`$.quantity` is "quantity"). */
export function describeRule(rule: JsonObject): string {
  const condition = rule["Condition"];
  if (typeof condition === "string") return condition;
  for (const combinator of ["And", "Or"] as const) {
    const parts = rule[combinator];
    if (Array.isArray(parts)) {
      const inner = parts.filter(isObject).map(describeRule);
      return inner.join(combinator === "And" ? " and " : " or ");
    }
  }
  const negated = rule["Not"];
  if (isObject(negated)) return `not (${describeRule(negated)})`;
  const variable = pathWords(stringField(rule, "Variable") ?? "?");
  for (const [key, value] of Object.entries(rule)) {
    const base = key.endsWith("Path") ? key.slice(0, -4) : key;
    const symbol = COMPARATORS[base];
    if (symbol === undefined) continue;
    if (base.startsWith("Is"))
      return value === false ? `${variable} not ${symbol.slice(3)}` : `${variable} ${symbol}`;
    // A …Path comparison reads another value of the data: a path, never quoted as text.
    const other =
      key !== base && typeof value === "string" ? pathWords(value) : JSON.stringify(value);
    return `${variable} ${symbol} ${other}`;
  }
  return "rule";
}

export function transitionsOf(definition: Definition): Transition[] {
  const states = statesOf(definition);
  const exists = (name: string | null): name is string => name !== null && name in states;
  const result: Transition[] = [];
  for (const [source, state] of Object.entries(states)) {
    const next = stringField(state, "Next");
    if (exists(next)) result.push({ source, target: next, kind: "next", label: "", index: 0 });
    if (typeOf(state) === "Choice") {
      arrayField(state, "Choices").forEach((rule, index) => {
        if (!isObject(rule)) return;
        const target = stringField(rule, "Next");
        if (exists(target)) {
          result.push({ source, target, kind: "choice", label: describeRule(rule), index });
        }
      });
      const fallback = stringField(state, "Default");
      if (exists(fallback)) {
        result.push({ source, target: fallback, kind: "default", label: "Default", index: 0 });
      }
    }
    arrayField(state, "Catch").forEach((catcher, index) => {
      if (!isObject(catcher)) return;
      const target = stringField(catcher, "Next");
      if (!exists(target)) return;
      const errors = arrayField(catcher, "ErrorEquals").filter((e) => typeof e === "string");
      const label = `on ${errors.length ? errors.join(", ") : "error"}`;
      result.push({ source, target, kind: "catch", label, index });
    });
  }
  return result;
}

export function transitionId(transition: Transition): string {
  return `${transition.source}→${transition.target}#${transition.kind}${transition.index}`;
}
