// The designer's Approval step: a Task that waits for a person. It is saved as portable ASL, an
// SQS sendMessage.waitForTaskToken task whose message describes the approval (its prompt and
// who may answer) and carries the data to judge and the task token; Statecraft lists it in the
// approvals inbox instead of calling SQS (see README, "Approvals").
import { isObject, type JsonObject, type StateDefinition, type StateType } from "./types";

export const APPROVAL_RESOURCE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
/** Where the message would go on AWS; Statecraft itself never sends it. */
export const APPROVAL_QUEUE =
  "https://sqs.us-east-1.amazonaws.com/123456789012/statecraft-approvals";
export const DEFAULT_PROMPT = "Please review and approve.";
/** The answer goes beside the data, so the data the run carries is kept. */
export const DEFAULT_RESULT_PATH = "$.approval";
export const DEFAULT_TIMEOUT_SECONDS = 86400;

/** What the palette offers: every state type, and the Approval (a Task made ready). */
export type PaletteItem = StateType | "Approval";

export function approvalTemplate(): StateDefinition {
  return {
    Type: "Task",
    Resource: APPROVAL_RESOURCE,
    Parameters: {
      QueueUrl: APPROVAL_QUEUE,
      MessageBody: {
        Approval: { Prompt: DEFAULT_PROMPT },
        "Input.$": "$",
        "TaskToken.$": "$$.Task.Token",
      },
    },
    ResultPath: DEFAULT_RESULT_PATH,
    TimeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    End: true,
  };
}

/** The Approval object a state's Parameters carry, as the engine finds it. */
export function approvalOf(state: StateDefinition): JsonObject | null {
  if (state["Type"] !== "Task") return null;
  const resource = state["Resource"];
  if (typeof resource !== "string" || !resource.endsWith(".waitForTaskToken")) return null;
  const params = state["Parameters"];
  if (!isObject(params)) return null;
  for (const holder of [params, params["MessageBody"], params["Message"], params["Payload"]]) {
    if (isObject(holder) && isObject(holder["Approval"])) return holder["Approval"];
  }
  return null;
}

export function isApprovalState(state: StateDefinition): boolean {
  return approvalOf(state) !== null;
}

export interface ApprovalSettings {
  prompt: string;
  approverGroup: string;
  timeoutSeconds: number | null;
  /** null: the answer is dropped; "$": it replaces the data. */
  resultPath: string | null;
}

export function approvalSettings(state: StateDefinition): ApprovalSettings {
  const approval = approvalOf(state) ?? {};
  const timeout = state["TimeoutSeconds"];
  const resultPath = state["ResultPath"];
  return {
    prompt: typeof approval["Prompt"] === "string" ? approval["Prompt"] : "",
    approverGroup: typeof approval["ApproverGroup"] === "string" ? approval["ApproverGroup"] : "",
    timeoutSeconds: typeof timeout === "number" ? timeout : null,
    resultPath: resultPath === undefined ? "$" : typeof resultPath === "string" ? resultPath : null,
  };
}

/** The state with its approval settings changed; everything else it holds is kept. */
export function withApprovalSettings(
  state: StateDefinition,
  change: Partial<ApprovalSettings>,
): StateDefinition {
  const next = structuredClone(state) as StateDefinition;
  const approval = approvalOf(next);
  if (approval === null) return next;
  if (change.prompt !== undefined) approval["Prompt"] = change.prompt;
  if (change.approverGroup !== undefined) {
    if (change.approverGroup.trim() === "") delete approval["ApproverGroup"];
    else approval["ApproverGroup"] = change.approverGroup.trim();
  }
  if (change.timeoutSeconds !== undefined) {
    if (change.timeoutSeconds === null) delete next["TimeoutSeconds"];
    else next["TimeoutSeconds"] = change.timeoutSeconds;
  }
  if (change.resultPath !== undefined) next["ResultPath"] = change.resultPath;
  return next;
}
