import { describe, expect, it } from "vitest";
import {
  APPROVAL_RESOURCE,
  approvalSettings,
  isApprovalState,
  withApprovalSettings,
} from "./approval";
import { addState } from "./edits";
import type { JsonObject } from "./types";

describe("the Approval step", () => {
  it("is added from the palette as a portable SQS .waitForTaskToken task keeping the data", () => {
    const { definition, name } = addState({ StartAt: "A", States: {} }, "Approval");
    const state = (definition["States"] as Record<string, JsonObject>)[name]!;
    expect(name).toBe("Approval");
    expect(state["Resource"]).toBe(APPROVAL_RESOURCE);
    expect(state["ResultPath"]).toBe("$.approval");
    expect(state["Parameters"]).toMatchObject({
      MessageBody: { "TaskToken.$": "$$.Task.Token", "Input.$": "$" },
    });
    expect(isApprovalState(state)).toBe(true);
  });

  it("changes its prompt, group, timeout and result path, and drops an empty group", () => {
    const { definition, name } = addState({}, "Approval");
    const state = (definition["States"] as Record<string, JsonObject>)[name]!;
    const changed = withApprovalSettings(state, {
      prompt: "Ship it?",
      approverGroup: " finance ",
      timeoutSeconds: 7200,
      resultPath: "$.decision",
    });
    expect(approvalSettings(changed)).toEqual({
      prompt: "Ship it?",
      approverGroup: "finance",
      timeoutSeconds: 7200,
      resultPath: "$.decision",
    });
    expect(approvalSettings(withApprovalSettings(changed, { approverGroup: "" }))).toMatchObject({
      approverGroup: "",
    });
    // The original is left as it was.
    expect(approvalSettings(state).prompt).toBe("Please review and approve.");
  });

  it("is not a plain task, nor a token task without an Approval object", () => {
    expect(isApprovalState({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke" })).toBe(
      false,
    );
    expect(
      isApprovalState({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { Payload: { "token.$": "$$.Task.Token" } },
      }),
    ).toBe(false);
  });
});
