import { describe, expect, it } from "vitest";
import { flowSteps, isJsonata } from "./flowSteps";
import type { TestStateAnswer } from "./testStateApi";

const answer = (over: Partial<TestStateAnswer>): TestStateAnswer => ({
  status: "SUCCEEDED",
  output: { ok: true },
  error: null,
  cause: null,
  nextState: "Next",
  inspectionData: { input: { a: 1 }, afterInputPath: { a: 1 }, afterParameters: { b: 1 } },
  ...over,
});

describe("flowSteps", () => {
  it("follows a JSONPath Task from input to output, saying which steps are not set", () => {
    const task = { Type: "Task", Resource: "r", InputPath: "$.a", Next: "Next" };
    const steps = flowSteps(task, "Task", false, answer({}));
    expect(steps.map((s) => s.title)).toEqual([
      "Input",
      "InputPath",
      "Parameters",
      "ResultSelector",
      "ResultPath",
      "OutputPath",
    ]);
    expect(steps[1]).toMatchObject({ expression: "$.a", unchanged: false, value: { a: 1 } });
    expect(steps[2]).toMatchObject({ expression: null, unchanged: true });
    expect(steps[5]!.value).toEqual({ ok: true });
  });

  it("follows a JSONata Task through Arguments, result and Output", () => {
    const task = { Type: "Task", Resource: "r", Arguments: { x: 1 }, Output: "{% 1 %}" };
    const steps = flowSteps(
      task,
      "Task",
      isJsonata(task, "JSONata"),
      answer({ inspectionData: { input: {}, afterArguments: { x: 1 }, result: 7 } }),
    );
    expect(steps.map((s) => s.id)).toEqual(["input", "arguments", "result", "output"]);
    expect(steps[3]).toMatchObject({ expression: "{% 1 %}", value: { ok: true } });
  });

  it("leaves the output unreached when the state failed", () => {
    const steps = flowSteps(
      { Type: "Pass" },
      "Pass",
      false,
      answer({ status: "FAILED", output: null, error: "E" }),
    );
    expect(steps.find((s) => s.id === "outputPath")!.value).toBeUndefined();
  });

  it("shows what Assign set, read from the variables after the state, in JSONPath", () => {
    const pass = { Type: "Pass", Assign: { "total.$": "$.a", n: 1 }, Next: "Next" };
    const data = { input: { a: 1 }, variables: { total: 1, n: 1, kept: "x" } };
    const steps = flowSteps(pass, "Pass", false, answer({ inspectionData: data }));
    const assign = steps[steps.length - 1]!;
    expect(assign.id).toBe("assign");
    // Only the assigned variables: "kept" was in scope before and is not Assign's work.
    expect(assign.value).toEqual({ total: 1, n: 1 });
  });

  it("takes a Choice's matched rule's Assign, and shows no values when it failed", () => {
    const choice = {
      Type: "Choice",
      Choices: [{ Condition: "{% true %}", Assign: { hit: 1 }, Next: "A" }],
      Assign: { other: 2 },
    };
    const trace = { rules: [], matched: 0, next: "A" };
    const ok = answer({ choiceTrace: trace, inspectionData: { input: {}, variables: { hit: 1 } } });
    const steps = flowSteps(choice, "Choice", true, ok);
    expect(steps.find((s) => s.id === "assign")!.value).toEqual({ hit: 1 });
    const failed = flowSteps(choice, "Choice", true, { ...ok, status: "FAILED" });
    expect(failed.find((s) => s.id === "assign")!.value).toBeUndefined();
  });
});
