// Shapes shared by the pure modules, the store and the components.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** An ASL definition as the server stores it; any field may be missing or malformed. */
export type Definition = JsonObject;
export type StateDefinition = JsonObject;

export const STATE_TYPES = [
  "Pass",
  "Task",
  "Choice",
  "Wait",
  "Succeed",
  "Fail",
  "Parallel",
  "Map",
] as const;
export type StateType = (typeof STATE_TYPES)[number];

export type StateStatus = "idle" | "running" | "waiting" | "succeeded" | "failed" | "caught";

export interface Diagnostic {
  code: string;
  message: string;
  location: string;
  /** "warning": AWS accepts it, and the part fails when it runs (asl/validate.py). */
  severity?: "error" | "warning";
}

export function isWarning(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === "warning";
}

/** The problem a card shows first: an error before a warning. */
export function firstProblem(problems: Diagnostic[]): Diagnostic | undefined {
  return problems.find((p) => !isWarning(p)) ?? problems[0];
}

/** A card's class for its problems: errors dash its border red, warnings amber. */
export function problemClass(problems: Diagnostic[]): string {
  if (problems.some((p) => !isWarning(p))) return "has-problems";
  return problems.length ? "has-warnings" : "";
}

export interface Position {
  x: number;
  y: number;
}

export type Layout = Record<string, Position>;

export interface AutoLayout {
  /** A box for every state at every depth, by key (a container's box holds its states). */
  nodes: Record<string, Position & { width: number; height: number }>;
  /** A box for every Parallel branch, by its pointer; absent from older servers. */
  lanes?: Record<string, Position & { width: number; height: number }>;
  width: number;
  height: number;
}

export type EdgeKind = "next" | "choice" | "default" | "catch";

export interface Transition {
  source: string;
  target: string;
  kind: EdgeKind;
  label: string;
  /** The index of the Choice rule or Catch entry the transition comes from. */
  index: number;
}

/**
 * A history event exactly as AWS's GetExecutionHistory returns it (the server sends nothing
 * else): its details, when it has any, are in the one member named after its type
 * (stateEnteredEventDetails, taskScheduledEventDetails, ...).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number | null;
  type: string;
  timestamp: string;
  [member: `${string}EventDetails`]: Record<string, unknown> | undefined;
}

/** The details of an event, whatever its type names them; {} when it has none. */
export function eventDetails(event: HistoryEvent): Record<string, unknown> {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && isObject(value)) return value;
  }
  return {};
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface Execution {
  id: string;
  name: string;
  state_machine: string;
  /** The machine version the run uses; absent from older servers. */
  version?: number;
  status: ExecutionStatus;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  start_date: string | null;
  stop_date: string | null;
  redriveCount?: number;
  redriveDate?: string | null;
  redriveStatus?: "REDRIVABLE" | "NOT_REDRIVABLE";
  /** The id of its latest event: its history has this many (numbered 1..n). */
  last_event_id?: number;
  /** The definition and layout of the version that ran (execution detail only). */
  definition?: Definition;
  layout?: Layout | null;
}

/** A row of a machine's live execution list. */
export type ExecutionSummary = Pick<
  Execution,
  "id" | "name" | "status" | "start_date" | "stop_date"
>;

export type PendingTaskKind = "callback" | "activity" | "celery" | "http" | "function";

/** Something a run waits for; callbacks and activities are answered with their task token. */
export interface PendingTask {
  task_token: string;
  kind: PendingTaskKind;
  state_name: string;
  resource: string;
  input: unknown;
  created_at: string;
  deadline: string | null;
  heartbeat_deadline: string | null;
  // What approvals add (older servers leave them out).
  execution?: string;
  execution_name?: string;
  state_machine?: string;
  /** A `.waitForTaskToken` task, whatever its resource: a person may answer it. */
  waits_for_a_person?: boolean;
  /** The caller may answer it: an operator, and in its approver group. */
  may_answer?: boolean;
  /** Where the answer goes; "$" replaces the run's data. */
  result_path?: string | null;
  prompt?: string;
  approver_group?: string;
  /** The data the approver judges. */
  data?: unknown;
}

/** What a user may do with a machine (designer/roles.py), each implying those before it. */
export type MachineAction = "view" | "operate" | "edit" | "admin";

export interface Machine {
  name: string;
  type: "STANDARD" | "EXPRESS";
  /** What the caller may do, so the UI offers only that. */
  permissions: MachineAction[];
  definition: Definition;
  layout: Layout | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
