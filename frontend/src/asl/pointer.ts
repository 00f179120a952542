// Diagnostics locate problems with JSON pointers (/States/Approve/Next); the canvas shows them on
// the top-level state they fall in, since inner states of Map/Parallel have no node of their own.
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

/** The pointer of a place inside a top-level state, e.g. ("Pick", "Choices", 0). */
export function statePointer(state: string, ...path: (string | number)[]): string {
  return ["", "States", state, ...path].map((s) => escape(String(s))).join("/");
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

/** Splits diagnostics into those of existing states and those of the machine as a whole. */
export function groupDiagnostics(diagnostics: Diagnostic[], states: string[]): GroupedDiagnostics {
  const known = new Set(states);
  const grouped: GroupedDiagnostics = { byState: {}, general: [] };
  for (const diagnostic of diagnostics) {
    const { state } = pointerTarget(diagnostic.location ?? "");
    if (state !== null && known.has(state)) {
      (grouped.byState[state] ??= []).push(diagnostic);
    } else {
      grouped.general.push(diagnostic);
    }
  }
  return grouped;
}

/** The diagnostics of one field of a state, for the form panel. */
export function fieldDiagnostics(
  diagnostics: Diagnostic[],
  state: string,
  field: string,
): Diagnostic[] {
  return diagnostics.filter((d) => {
    const target = pointerTarget(d.location ?? "");
    return target.state === state && target.field === field;
  });
}
