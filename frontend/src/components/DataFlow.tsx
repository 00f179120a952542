// How data moves through a state: what it reads, what it builds, what it passes on and keeps.
// JSONPath states have InputPath, Parameters, ResultSelector, ResultPath, OutputPath; JSONata
// states have Arguments and Output; both may Assign variables
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html).
import type { ReactNode } from "react";
import type { StateDefinition } from "../asl/types";
import { JsonataHelp } from "./JsonataHelp";
import { modeOf, PathField, ResultPathForm, type Language } from "./StateForms";
import { ValueField } from "./ValueEditor";

const WITH_PARAMETERS = new Set(["Pass", "Task", "Parallel", "Map"]);
const WITH_RESULT = new Set(["Pass", "Task", "Parallel", "Map"]);
const WITH_SELECTOR = new Set(["Task", "Parallel", "Map"]);
const WITH_ARGUMENTS = new Set(["Task", "Parallel"]);
const WITH_ASSIGN = new Set(["Pass", "Task", "Choice", "Wait", "Parallel", "Map"]);
const FIELDS = [
  "InputPath",
  "Parameters",
  "ResultSelector",
  "ResultPath",
  "OutputPath",
  "Arguments",
  "Output",
  "Assign",
];

/** The name offered for a result kept beside the data: the state's name in plain letters. */
function resultKeyFor(state: string): string {
  const words = state.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const key = words.join("_");
  return /^[a-z_]/.test(key) ? key : `result${key ? `_${key}` : ""}`;
}

export function DataFlow({
  name,
  state,
  type,
  language,
  children,
}: {
  name: string;
  state: StateDefinition;
  type: string;
  language: Language;
  /** Shown first inside: the choice of query language. */
  children?: ReactNode;
}) {
  const used = [...FIELDS, "QueryLanguage"].some((field) => field in state);
  const mode = modeOf(language);
  return (
    <details className="data-flow" open={used}>
      <summary>Data flow</summary>
      {children}
      {language === "JSONPath" ? (
        <>
          <PathField
            name={name}
            state={state}
            field="InputPath"
            label="Input: the part of the data the state sees"
            hint="Not set: all of it."
          />
          {WITH_PARAMETERS.has(type) && type !== "Map" && (
            <ValueField
              name={name}
              state={state}
              field="Parameters"
              label={type === "Task" ? "What the task is given" : "Build a new input"}
              mode={mode}
              hint="Fields of fixed values or values from the data. Not set: the input as it is."
            />
          )}
          {WITH_SELECTOR.has(type) && (
            <ValueField
              name={name}
              state={state}
              field="ResultSelector"
              label="Keep from the result"
              mode={mode}
              hint="Builds the result from its parts (“value from the data” reads the result here)."
            />
          )}
          {WITH_RESULT.has(type) && (
            <ResultPathForm name={name} state={state} defaultKey={resultKeyFor(name)} />
          )}
          <PathField
            name={name}
            state={state}
            field="OutputPath"
            label="Output: the part passed on"
            hint="Not set: all of it."
          />
        </>
      ) : (
        <>
          <JsonataHelp />
          {WITH_ARGUMENTS.has(type) && (
            <ValueField
              name={name}
              state={state}
              field="Arguments"
              label={type === "Task" ? "What the task is given" : "What each branch is given"}
              mode={mode}
              rootKinds={["object", "path", "expression"]}
            />
          )}
          {type !== "Fail" && (
            <ValueField
              name={name}
              state={state}
              field="Output"
              label="Output: what is passed on"
              mode={mode}
              rootKinds={[
                "object",
                "list",
                "text",
                "number",
                "boolean",
                "null",
                "path",
                "expression",
              ]}
              hint="Not set: the result (or the input, for a state without one)."
            />
          )}
        </>
      )}
      {WITH_ASSIGN.has(type) && (
        <ValueField
          name={name}
          state={state}
          field="Assign"
          label="Remember as variables"
          mode={mode}
          hint="Each field becomes a variable later states can read."
        />
      )}
    </details>
  );
}
