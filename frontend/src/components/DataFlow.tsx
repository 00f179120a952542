// How data moves through a state (JSONPath machines): what it reads, passes on and keeps.
import type { StateDefinition } from "../asl/types";
import { StateField } from "./StateField";

const WITH_RESULT = new Set(["Pass", "Task", "Parallel", "Map"]);
const WITH_SELECTOR = new Set(["Task", "Parallel", "Map"]);

export function DataFlow({
  name,
  state,
  type,
}: {
  name: string;
  state: StateDefinition;
  type: string;
}) {
  const used = ["InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath"].some(
    (field) => field in state,
  );
  return (
    <details className="data-flow" open={used}>
      <summary>Data flow</summary>
      <StateField
        name={name}
        state={state}
        field="InputPath"
        label="Input path"
        hint="Which part of the input the state sees, e.g. $.order. Empty: all of it."
      />
      {WITH_RESULT.has(type) && (
        <StateField
          name={name}
          state={state}
          field="Parameters"
          label="Parameters (JSON)"
          kind="json"
          hint={`Builds the state's input; keys ending in ".$" take a path, e.g. {"id.$": "$.id"}.`}
        />
      )}
      {WITH_SELECTOR.has(type) && (
        <StateField
          name={name}
          state={state}
          field="ResultSelector"
          label="Result selector (JSON)"
          kind="json"
        />
      )}
      {WITH_RESULT.has(type) && (
        <StateField
          name={name}
          state={state}
          field="ResultPath"
          label="Result path"
          hint="Where the result goes in the input, e.g. $.status. Empty: it replaces the input."
        />
      )}
      <StateField
        name={name}
        state={state}
        field="OutputPath"
        label="Output path"
        hint="Which part of the result goes on. Empty: all of it."
      />
    </details>
  );
}
