// The data flow of one simulated state, in the order the engine applies it
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html):
// JSONPath: input → InputPath → Parameters → result → ResultSelector → ResultPath → OutputPath;
// JSONata: input → Arguments → result → Output; in both, Assign sets variables for the states
// after it (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
import type { JsonValue, StateDefinition } from "../../asl/types";
import type { TestStateAnswer } from "./testStateApi";

export interface FlowStep {
  id: string;
  /** What the step is called, e.g. "InputPath". */
  title: string;
  /** What it does, in words. */
  note: string;
  /** The state's expression for the step, when it has one. */
  expression: string | null;
  /** The data after the step; absent when the run never got there. */
  value?: JsonValue;
  /** The step is not set on the state, so the data passed through unchanged. */
  unchanged: boolean;
}

const WITH_PARAMETERS = new Set(["Pass", "Task", "Map", "Parallel"]);
const WITH_RESULT = new Set(["Pass", "Task", "Map", "Parallel"]);
const WITH_SELECTOR = new Set(["Task", "Map", "Parallel"]);
const WITH_ARGUMENTS = new Set(["Task", "Map", "Parallel"]);

function expressionOf(state: StateDefinition, field: string): string | null {
  if (!(field in state)) return null;
  const value = state[field];
  return typeof value === "string" ? value : JSON.stringify(value, null, 1);
}

export function isJsonata(state: StateDefinition, machineLanguage: unknown): boolean {
  const own = state["QueryLanguage"];
  return (typeof own === "string" ? own : machineLanguage) === "JSONata";
}

export function flowSteps(
  state: StateDefinition,
  type: string,
  jsonata: boolean,
  answer: TestStateAnswer,
): FlowStep[] {
  const data = answer.inspectionData ?? {};
  const done = answer.status === "SUCCEEDED" || answer.status === "CAUGHT_ERROR";
  const steps: FlowStep[] = [
    {
      id: "input",
      title: "Input",
      note: "What the state receives.",
      expression: null,
      value: data.input,
      unchanged: false,
    },
  ];
  // What the Task, Pass (Result) or inner runs gave, in either query language.
  const pushResult = (): void => {
    if (WITH_RESULT.has(type) && data.result !== undefined)
      steps.push({
        id: "result",
        title: "Result",
        note: resultNote(type),
        expression: null,
        value: data.result,
        unchanged: false,
      });
  };
  const step = (
    id: string,
    title: string,
    field: string,
    note: string,
    unsetNote: string,
    value: JsonValue | undefined,
  ): void => {
    const expression = expressionOf(state, field);
    steps.push({
      id,
      title,
      note: expression === null ? unsetNote : note,
      expression,
      ...(value === undefined ? {} : { value }),
      unchanged: expression === null,
    });
  };
  const output = done && answer.output !== null ? answer.output : undefined;
  // The values the state's Assign gave, read from the variables after the state. A Catch's own
  // Assign replaces the state's, so a caught error shows none here.
  const pushAssign = (): void => {
    const assign = assignOf(state, answer);
    if (!assign || typeof assign !== "object" || Array.isArray(assign)) return;
    const after = data.variables;
    const applied = answer.status === "SUCCEEDED" && after !== undefined;
    const value: Record<string, JsonValue> = {};
    for (const field of Object.keys(assign)) {
      const name = field.endsWith(".$") ? field.slice(0, -2) : field;
      if (applied && name in after) value[name] = after[name] as JsonValue;
    }
    steps.push({
      id: "assign",
      title: "Assign",
      note: "Variables set for the states after this one; it reads the values they had before.",
      expression: JSON.stringify(assign, null, 1),
      ...(applied ? { value } : {}),
      unchanged: false,
    });
  };
  if (jsonata) {
    if (WITH_ARGUMENTS.has(type))
      step(
        "arguments",
        "Arguments",
        "Arguments",
        "What the task is given.",
        "Not set: the task is given the input.",
        data.afterArguments,
      );
    pushResult();
    if (type !== "Fail")
      step(
        "output",
        "Output",
        "Output",
        "What is passed on.",
        "Not set: the result (or the input) is passed on.",
        output,
      );
    pushAssign();
    return steps;
  }
  step(
    "inputPath",
    "InputPath",
    "InputPath",
    "The part of the input the state works on.",
    "Not set: all of the input.",
    data.afterInputPath,
  );
  if (WITH_PARAMETERS.has(type) && type !== "Map")
    step(
      "parameters",
      "Parameters",
      "Parameters",
      type === "Task" ? "What the task is given." : "A new input built from the data.",
      "Not set: the data as it is.",
      data.afterParameters,
    );
  pushResult();
  if (WITH_SELECTOR.has(type))
    step(
      "resultSelector",
      "ResultSelector",
      "ResultSelector",
      "What is kept of the result.",
      "Not set: all of the result.",
      data.afterResultSelector,
    );
  if (WITH_RESULT.has(type))
    step(
      "resultPath",
      "ResultPath",
      "ResultPath",
      "Where the result goes in the data.",
      "Not set: the result replaces the data.",
      data.afterResultPath,
    );
  if (type !== "Fail")
    step(
      "outputPath",
      "OutputPath",
      "OutputPath",
      "The part passed on: the state's output.",
      "Not set: all of it is passed on.",
      output,
    );
  pushAssign();
  return steps;
}

/** The Assign that applies: a Choice's matched rule's own Assign takes the place of the state's. */
function assignOf(state: StateDefinition, answer: TestStateAnswer): JsonValue | undefined {
  const matched = answer.choiceTrace?.matched;
  const rules = state["Choices"];
  if (typeof matched === "number" && Array.isArray(rules)) {
    const rule = rules[matched];
    if (rule && typeof rule === "object" && !Array.isArray(rule) && "Assign" in rule)
      return rule["Assign"];
  }
  return state["Assign"];
}

function resultNote(type: string): string {
  if (type === "Task") return "What the task answered (mocked, or the real call).";
  if (type === "Pass") return "The Pass state's result.";
  return "What the inner runs gave back.";
}
