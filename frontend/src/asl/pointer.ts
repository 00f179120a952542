// Diagnostics locate problems with JSON pointers (/States/Approve/Next); the canvas shows them on
// the innermost state they fall in, at any depth (see scopes.ts for state keys).
import { keyPointer, segmentsOf, statePointerIn, stateKey } from "./scopes";
import type { Diagnostic } from "./types";

export interface PointerTarget {
  state: string | null;
  field: string | null;
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The pointer of a place inside a state (by key), e.g. ("Pick", "Choices", 0). */
export function statePointer(key: string, ...path: (string | number)[]): string {
  return [keyPointer(key), ...path.map((s) => escape(String(s)))].join("/");
}

/** Diagnostics at a pointer or anywhere below it. */
export function diagnosticsUnder(diagnostics: Diagnostic[], pointer: string): Diagnostic[] {
  return diagnostics.filter((d) => d.location === pointer || d.location?.startsWith(`${pointer}/`));
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer.replace(/^\//, "").split("/").map(unescape);
}

export function pointerTarget(pointer: string): PointerTarget {
  const [root, state, field] = parsePointer(pointer);
  if (root !== "States" || state === undefined) return { state: null, field: null };
  return { state, field: field ?? null };
}

export interface GroupedDiagnostics {
  byState: Record<string, Diagnostic[]>;
  general: Diagnostic[];
}

/** The key of the innermost state a pointer falls in, among the keys known; null if none. */
export function stateKeyAt(pointer: string, known: Set<string>): string | null {
  const segments = segmentsOf(pointer);
  let scope = "";
  let found: string | null = null;
  let i = 0;
  while (segments[i] === "States" && segments[i + 1] !== undefined) {
    const name = segments[i + 1] as string;
    const key = stateKey(scope, name);
    if (!known.has(key)) break;
    found = key;
    const here = statePointerIn(scope, name);
    const field = segments[i + 2];
    if ((field === "ItemProcessor" || field === "Iterator") && segments[i + 3] === "States") {
      scope = `${here}/${field}`;
      i += 3;
    } else if (field === "Branches" && segments[i + 4] === "States") {
      scope = `${here}/Branches/${segments[i + 3]}`;
      i += 4;
    } else break;
  }
  return found;
}

/** Splits diagnostics into those of existing states (by key) and those of the machine. */
export function groupDiagnostics(diagnostics: Diagnostic[], keys: string[]): GroupedDiagnostics {
  const known = new Set(keys);
  const grouped: GroupedDiagnostics = { byState: {}, general: [] };
  for (const diagnostic of diagnostics) {
    const key = stateKeyAt(diagnostic.location ?? "", known);
    if (key !== null) (grouped.byState[key] ??= []).push(diagnostic);
    else grouped.general.push(diagnostic);
  }
  return grouped;
}

/** The diagnostics of one field of a state (by key), for the form panel. */
export function fieldDiagnostics(
  diagnostics: Diagnostic[],
  key: string,
  field: string,
): Diagnostic[] {
  return diagnosticsUnder(diagnostics, statePointer(key, field));
}

/** The diagnostics of a state itself, not of one of its fields. */
export function ownDiagnostics(diagnostics: Diagnostic[], key: string): Diagnostic[] {
  return diagnostics.filter((d) => d.location === statePointer(key));
}
