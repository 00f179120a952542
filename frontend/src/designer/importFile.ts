// Import of a definition file (JSON or YAML) into the designer. The server reads the text
// (designer/definition_files.py: one reader for both formats, with the line of a parse error)
// and checks the definition; the result goes into the draft as one undoable edit, so the saved
// versions are untouched until the person saves.
import { api, ApiError, request } from "../api";
import { positionsFromAutoLayout } from "../asl/graph";
import { stateKeyAt } from "../asl/pointer";
import { addressOf, allStateKeys } from "../asl/scopes";
import type { Definition, Diagnostic } from "../asl/types";
import { canEdit, useGraph } from "../store";
import { VIEW_ONLY } from "./clipboard";

/** AWS's limit on a definition; the server refuses more too. */
const MAX_FILE_BYTES = 1024 * 1024;
const ACCEPTED = /\.(json|ya?ml|asl)$/i;
/** Problems named in the notice; the rest are in the Problems tab. */
const SHOWN_PROBLEMS = 3;

interface ReadFile {
  definition: Definition;
  format: "json" | "yaml";
  diagnostics: Diagnostic[];
}

function say(kind: "error" | "success", text: string): void {
  useGraph.setState({ notice: { kind, text } });
}

/** "In "Charge card": …" for each of the first few problems, by the state they are in. */
export function describeProblems(definition: Definition, diagnostics: Diagnostic[]): string {
  const keys = new Set(allStateKeys(definition));
  const lines = diagnostics.slice(0, SHOWN_PROBLEMS).map((d) => {
    const key = stateKeyAt(d.location, keys);
    const message = d.message.replace(/\.$/, "");
    return key ? `in "${addressOf(key).name}": ${message}` : message;
  });
  const more = diagnostics.length - lines.length;
  return lines.join("; ") + (more > 0 ? `; and ${more} more (see Problems)` : "");
}

export async function importDefinitionFile(file: File): Promise<boolean> {
  // Nothing offers a viewer an import; a file reaching here anyway is read by nobody.
  if (!canEdit(useGraph.getState())) {
    say("error", `Not imported: "${file.name}". ${VIEW_ONLY}`);
    return false;
  }
  if (!ACCEPTED.test(file.name)) {
    say("error", `"${file.name}" is not a definition file: import a .json, .yaml or .yml file.`);
    return false;
  }
  if (file.size > MAX_FILE_BYTES) {
    say("error", `"${file.name}" is larger than 1 MB, the most a definition may be.`);
    return false;
  }
  const machine = useGraph.getState().machineName;
  let read: ReadFile;
  try {
    const text = await file.text();
    read = await request<ReadFile>(
      "POST",
      `/api/v1/state-machines/${encodeURIComponent(machine)}/read-file/`,
      { text, filename: file.name },
    );
  } catch (error) {
    const message = error instanceof ApiError || error instanceof Error ? error.message : "";
    say("error", `Not imported: "${file.name}" could not be read. ${message}`);
    return false;
  }
  // Laid out before it is taken, so the import is one step for Undo; without a layout (graphviz
  // refused it) the cards fall into a grid.
  const auto = await api.layoutOf(machine, read.definition).catch(() => null);
  useGraph.getState().adopt(read.definition, positionsFromAutoLayout(auto));
  const count = allStateKeys(read.definition).length;
  const what = `Imported "${file.name}" (${count} state${count === 1 ? "" : "s"}) into the draft; Save makes it a version, Undo takes it back.`;
  if (read.diagnostics.length === 0) say("success", what);
  else {
    const n = read.diagnostics.length;
    say(
      "error",
      `${what} It has ${n} problem${n === 1 ? "" : "s"}: ${describeProblems(read.definition, read.diagnostics)}.`,
    );
  }
  return true;
}
