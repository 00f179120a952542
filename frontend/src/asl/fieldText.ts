// Form boxes hold text; ASL fields hold JSON values. These convert both ways, per kind of field,
// and name what is wrong with text that does not fit. Empty text means "leave the field out".
import type { JsonValue } from "./types";

export type FieldKind = "text" | "count" | "decimal" | "json";

export type Parsed = { value: JsonValue | undefined } | { error: string };

export function valueToText(kind: FieldKind, value: JsonValue | undefined): string {
  if (value === undefined) return "";
  if (kind === "json") return JSON.stringify(value, null, 2);
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function textToValue(kind: FieldKind, text: string): Parsed {
  if (text.trim() === "") return { value: undefined };
  switch (kind) {
    case "text":
      return { value: text };
    case "count": {
      const n = Number(text);
      return Number.isInteger(n) && n >= 0
        ? { value: n }
        : { error: "Enter a whole number of 0 or more." };
    }
    case "decimal": {
      const n = Number(text);
      return Number.isFinite(n) && n >= 0
        ? { value: n }
        : { error: "Enter a number of 0 or more." };
    }
    case "json":
      try {
        return { value: JSON.parse(text) as JsonValue };
      } catch {
        return { error: "This is not valid JSON." };
      }
  }
}

export function problemOf(kind: FieldKind, text: string): string | null {
  const parsed = textToValue(kind, text);
  return "error" in parsed ? parsed.error : null;
}
