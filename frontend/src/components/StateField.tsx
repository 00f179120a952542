// One field of the selected state: its box, its conversion, and the diagnostics aimed at it.
import type { ReactNode } from "react";
import * as edits from "../asl/edits";
import { problemOf, textToValue, valueToText, type FieldKind } from "../asl/fieldText";
import { fieldDiagnostics } from "../asl/pointer";
import type { StateDefinition } from "../asl/types";
import { useGraph } from "../store";
import { useScopedEdit, useStateKey } from "./scope";
import { TextField } from "./fields";

export function StateField({
  name,
  state,
  field,
  label,
  kind = "text",
  hint,
  multiline,
}: {
  name: string;
  state: StateDefinition;
  field: string;
  label: string;
  kind?: FieldKind;
  hint?: ReactNode;
  multiline?: boolean;
}) {
  const edit = useScopedEdit();
  const key = useStateKey(name);
  const diagnostics = useGraph((s) => s.diagnostics);
  return (
    <TextField
      label={label}
      value={valueToText(kind, state[field])}
      multiline={multiline ?? kind === "json"}
      validate={(text) => problemOf(kind, text)}
      onCommit={(text) => {
        const parsed = textToValue(kind, text);
        if ("value" in parsed) edit((d) => edits.setField(d, name, field, parsed.value));
      }}
      problems={fieldDiagnostics(diagnostics, key, field)}
      hint={hint}
      testId={`field-${field.toLowerCase()}`}
    />
  );
}
