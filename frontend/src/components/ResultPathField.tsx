// "Where the result goes" without typing a path: replace the data, keep it and add the result
// under a plain name, or drop the result. A path stays possible for those who write them.
import { useState } from "react";
import { placementOf, PLAIN_KEY, resultPathFor, type Placement } from "../asl/resultPlacement";
import type { Diagnostic, JsonValue } from "../asl/types";
import { SelectField, TextField } from "./fields";
import { PathInput } from "./PathPicker";

const OPTIONS: { value: Placement; label: string }[] = [
  { value: "replace", label: "Replace the data with the result" },
  { value: "beside", label: "Add it to the data, keeping the data" },
  { value: "drop", label: "Drop it, keeping the data as it was" },
  { value: "path", label: "Put it at a path in the data" },
];

export function ResultPathField({
  value,
  defaultKey,
  onChange,
  problems,
}: {
  value: JsonValue | undefined;
  problems?: Diagnostic[];
  /** The name offered when a person first chooses to keep the data. */
  defaultKey: string;
  onChange: (resultPath: string | null | undefined) => void;
}) {
  const placement = placementOf(value);
  // "A path" with nothing typed yet is unset, which reads as "replace": remember the choice.
  const [chosen, setChosen] = useState<Placement | null>(null);
  const where = chosen === "path" && placement.where === "replace" ? "path" : placement.where;
  return (
    <div className="result-path-field">
      <SelectField
        label="Where the result goes"
        value={where}
        testId="field-resultpath-where"
        options={OPTIONS}
        problems={problems}
        onChange={(next) => {
          const choice = next as Placement;
          setChosen(choice);
          if (choice !== "path") onChange(resultPathFor(choice, placement.key || defaultKey, ""));
        }}
      />
      {where === "beside" && (
        <TextField
          label="Under the name"
          value={placement.key}
          testId="field-resultpath-key"
          validate={(text) =>
            PLAIN_KEY.test(text.trim())
              ? null
              : "Use letters, digits and _ only, starting with a letter."
          }
          hint={`Later steps find the result under “${placement.key}”.`}
          onCommit={(text) => onChange(resultPathFor("beside", text.trim(), ""))}
        />
      )}
      {where === "path" && (
        <PathInput
          value={typeof value === "string" ? value : ""}
          testId="field-resultpath"
          onCommit={(path) => onChange(resultPathFor("path", "", path))}
        />
      )}
    </div>
  );
}
