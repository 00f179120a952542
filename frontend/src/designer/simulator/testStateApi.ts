// REST TestState (executor/teststate_api.py): one state of the draft evaluated on its own.
import { request } from "../../api";
import type { RuleTrace } from "../../executionsApi";
import type { Definition, JsonValue } from "../../asl/types";

export type Mock = { result: string } | { errorOutput: { error: string; cause: string } };

export interface TestStateRequest {
  definition: Definition;
  stateName: string;
  input: JsonValue;
  inspectionLevel: "DEBUG";
  mock?: Mock;
  /** The workflow variables in scope (AWS takes them as JSON text; REST takes the object). */
  variables?: Record<string, JsonValue>;
  explainChoice: true;
}

export interface InspectionData {
  input?: JsonValue;
  afterInputPath?: JsonValue;
  afterParameters?: JsonValue;
  afterArguments?: JsonValue;
  result?: JsonValue;
  afterResultSelector?: JsonValue;
  afterResultPath?: JsonValue;
  /** The variables after the state: those given, updated by its Assign. */
  variables?: Record<string, JsonValue>;
  errorDetails?: { error: string; cause: string; retryIndex?: number; catchIndex?: number };
  [key: string]: unknown;
}

export interface TestStateAnswer {
  status: "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";
  output: JsonValue | null;
  error: string | null;
  cause: string | null;
  nextState: string | null;
  inspectionData: InspectionData | null;
  choiceTrace?: {
    rules: RuleTrace[];
    matched: number | null;
    next: string | null;
    default?: string | null;
  } | null;
}

export const testState = (body: TestStateRequest) =>
  request<TestStateAnswer>("POST", "/api/v1/test-state/", body);
