// The executions page's part of the REST and WebSocket contract (executor/listing_api.py).
import { ApiError, errorMessage } from "./api";
import type { ExecutionStatus } from "./asl/types";

export type StatusFilter = ExecutionStatus | "WAITING_FOR_APPROVAL";

export interface RunSummary {
  id: string;
  name: string;
  state_machine: string;
  version: number;
  status: ExecutionStatus;
  waiting_for_approval: boolean;
  start_date: string;
  stop_date: string | null;
}

export interface RunPage {
  executions: RunSummary[];
  next_cursor: string | null;
}

export type Counts = Record<StatusFilter, { count: number; more: boolean }>;

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: ExecutionStatus;
  code?: string;
  message?: string;
}

/** One comparison of a Choice rule, as asl/choice_trace.py explains it. */
export interface RuleTrace {
  operator: string;
  symbol?: string;
  variable?: string;
  actual?: unknown;
  actual_found?: boolean;
  expected?: unknown;
  expected_path?: string;
  expected_found?: boolean;
  condition?: unknown;
  result: boolean;
  skipped?: boolean;
  error?: string;
  next?: string;
  rules?: RuleTrace[];
}

export interface ChoiceTrace {
  event_id: number;
  state_name: string;
  trace: { rules: RuleTrace[]; matched: number | null; next: string | null; default?: string };
}

/** The filters, exactly as the page's address and the API's query string spell them. */
export type Filters = Partial<
  Record<
    | "status"
    | "machine"
    | "version"
    | "started_after"
    | "started_before"
    | "search"
    | "data_path"
    | "data_value",
    string
  >
>;

export const FILTER_KEYS: (keyof Filters)[] = [
  "status",
  "machine",
  "version",
  "started_after",
  "started_before",
  "search",
  "data_path",
  "data_value",
];

export function queryOf(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match?.[1] ? decodeURIComponent(match[1]) : "";
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = csrfToken();
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("The server could not be reached. Check your connection and try again.", 0);
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(errorMessage(payload, response.status), response.status);
  }
  return payload as T;
}

export const runsApi = {
  page: (filters: Filters, cursor?: string) =>
    call<RunPage>("GET", `/api/v1/executions/?${queryOf(filters, cursor ? { cursor } : {})}`),
  counts: (filters: Filters) =>
    call<{ counts: Counts }>(
      "GET",
      `/api/v1/executions/counts/?${queryOf({ ...filters, status: "" })}`,
    ),
  bulk: (action: "stop" | "redrive", ids: string[]) =>
    call<{ results: BulkResult[] }>("POST", "/api/v1/executions/bulk/", { action, ids }),
  machines: () =>
    call<{ state_machines: { name: string }[] }>("GET", "/api/v1/state-machines/?limit=1000"),
  choiceTraces: (id: string) =>
    call<{ choice_traces: ChoiceTrace[] }>("GET", `/api/v1/executions/${id}/choice-traces/`),
};

/**
 * Follows the summaries of every run the user may view. The server replays nothing, so after
 * a reconnect `onReconnect` refetches to catch up on what was missed.
 */
export function followAllExecutions(
  onSummary: (summary: RunSummary) => void,
  onReconnect: () => void,
): { close(): void } {
  let socket: WebSocket | null = null;
  let closed = false;
  let retries = 0;
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const open = (): void => {
    socket = new WebSocket(`${scheme}://${window.location.host}/ws/executions/`);
    socket.onopen = () => {
      if (retries > 0) onReconnect();
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      retries = 0;
      try {
        onSummary(JSON.parse(message.data) as RunSummary);
      } catch {
        // A malformed message is skipped; the list is refetched on the next reconnect.
      }
    };
    socket.onclose = () => {
      if (closed) return;
      retries += 1;
      if (retries > 8) return;
      window.setTimeout(open, Math.min(5000, 250 * 2 ** retries));
    };
  };
  open();
  return {
    close() {
      closed = true;
      socket?.close();
    },
  };
}
