// Where a state puts its result, in words: ResultPath "$" (or unset) replaces the data, "$.name"
// keeps the data and adds the result under a name, null drops the result, and any other path is
// for those who write paths (https://states-language.net/#resultpath).
import type { JsonValue } from "./types";

export type Placement = "replace" | "beside" | "drop" | "path";

/** A name a person can type for a new field: letters, digits and _, starting with a letter. */
export const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function placementOf(resultPath: JsonValue | undefined): { where: Placement; key: string } {
  if (resultPath === null) return { where: "drop", key: "" };
  if (resultPath === undefined || resultPath === "$") return { where: "replace", key: "" };
  if (typeof resultPath === "string") {
    const key = resultPath.replace(/^\$\./, "");
    if (resultPath.startsWith("$.") && PLAIN_KEY.test(key)) return { where: "beside", key };
  }
  return { where: "path", key: "" };
}

/** The ResultPath that puts the result where a person chose; undefined leaves it unset. */
export function resultPathFor(
  where: Placement,
  key: string,
  path: string,
): string | null | undefined {
  if (where === "drop") return null;
  if (where === "replace") return undefined;
  if (where === "beside") return `$.${key}`;
  return path || undefined;
}
