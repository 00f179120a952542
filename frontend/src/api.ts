// The REST and WebSocket contract of the Django side, in one place.
import type {
  AutoLayout,
  Definition,
  Diagnostic,
  Execution,
  ExecutionSummary,
  HistoryEvent,
  Layout,
  Machine,
  PendingTask,
} from "./asl/types";

/** A machine's work in progress on the server (designer/api_drafts.py). */
export interface Draft {
  /** Whether this user saved it last (in this tab or another). */
  mine: boolean;
  /** Null while `code` holds text that is not a JSON object yet. */
  definition: Definition | null;
  code: string;
  layout: Layout;
  base_version: number;
  revision: number;
  updated_by: string | null;
  updated_at: string;
}

export interface DraftState {
  draft: Draft | null;
  /** Who else has the designer open. */
  editors: string[];
  version: number;
}

export interface DraftIn {
  definition: Definition | string;
  layout: Layout;
  base_version: number;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly diagnostics: Diagnostic[] = [],
    /** The whole error body, for answers that carry more than a message (a DraftConflict). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The sentence of an error body: every API error is {code, message, field?}. */
export function errorMessage(payload: unknown, status: number): string {
  const message = (payload as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : `The server answered ${status}.`;
}

function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match?.[1] ? decodeURIComponent(match[1]) : "";
}

export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
  keepalive = false,
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...extraHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      keepalive,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("The server could not be reached. Check your connection and try again.", 0);
  }
  const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const data = (payload ?? {}) as { diagnostics?: unknown };
    const diagnostics = Array.isArray(data.diagnostics) ? (data.diagnostics as Diagnostic[]) : [];
    throw new ApiError(
      errorMessage(payload, response.status),
      response.status,
      diagnostics,
      data as Record<string, unknown>,
    );
  }
  return payload as T;
}

const machineUrl = (name: string): string => `/api/v1/state-machines/${encodeURIComponent(name)}/`;

export const api = {
  machine: (name: string) => request<Machine>("GET", machineUrl(name)),
  /** Publishes a version; naming the draft's revision discards that draft once saved. */
  save: (
    name: string,
    definition: Definition,
    layout: Layout,
    draftRevision = 0,
    comment?: string,
  ) =>
    request<Machine>("PUT", machineUrl(name), {
      definition,
      layout,
      ...(draftRevision ? { draft_revision: draftRevision } : {}),
      ...(comment ? { comment } : {}),
    }),
  /** The draft and who else is editing; also tells the server this designer is open. */
  draft: (name: string) => request<DraftState>("GET", `${machineUrl(name)}draft/`),
  /** Saves the draft if `revision` is still the server's; a 409 carries the current one. */
  saveDraft: (name: string, draft: DraftIn, revision: number, keepalive = false) =>
    request<DraftState>(
      "PUT",
      `${machineUrl(name)}draft/`,
      draft,
      { "If-Match": `"${revision}"` },
      keepalive,
    ),
  discardDraft: (name: string, revision: number) =>
    request<null>("DELETE", `${machineUrl(name)}draft/`, undefined, {
      "If-Match": `"${revision}"`,
    }),
  validate: (name: string, definition: Definition) =>
    request<{ valid: boolean; diagnostics: Diagnostic[] }>("POST", `${machineUrl(name)}validate/`, {
      definition,
    }),
  layout: (name: string) => request<AutoLayout>("GET", `${machineUrl(name)}layout/`),
  /** Lays out any definition (a draft, or the version a run used), valid or not. */
  layoutOf: (name: string, definition: Definition) =>
    request<AutoLayout>("POST", `${machineUrl(name)}layout/`, { definition }),
  /** The machine's sample input, one for everyone (null: none given yet). */
  sampleInput: (name: string) =>
    request<{ input: unknown }>("GET", `${machineUrl(name)}sample-input/`),
  setSampleInput: (name: string, input: unknown, keepalive = false) =>
    input === undefined
      ? request<null>("DELETE", `${machineUrl(name)}sample-input/`, undefined, {}, keepalive)
      : request<{ input: unknown }>(
          "PUT",
          `${machineUrl(name)}sample-input/`,
          { input },
          {},
          keepalive,
        ),
  /** The input each state would get on a run from `input`, by state key (the path picker). */
  dataShapes: (name: string, definition: Definition, input: unknown) =>
    request<{
      states: Record<string, unknown>;
      variables?: Record<string, Record<string, unknown>>;
    }>("POST", `${machineUrl(name)}data-shapes/`, {
      definition,
      input: jsonText(input),
    }),
  start: (name: string, input: unknown, runName?: string) =>
    request<Execution>("POST", `${machineUrl(name)}executions/`, {
      input: jsonText(input),
      ...(runName ? { name: runName } : {}),
    }),
  execution: (id: string) => request<Execution>("GET", `/api/v1/executions/${id}/`),
  /**
   * A page of the history in id order: onwards from `after`, or the `limit` events just before
   * `before` (the latest page is the one before last_event_id + 1).
   */
  history: (id: string, page: { after?: number; before?: number; limit?: number } = {}) => {
    const query = new URLSearchParams(
      Object.entries(page).map(([key, value]) => [key, String(value)]),
    ).toString();
    return request<HistoryPage>(
      "GET",
      `/api/v1/executions/${id}/history/${query ? `?${query}` : ""}`,
    );
  },
  executions: (name: string) =>
    request<{ executions: ExecutionSummary[] }>("GET", `${machineUrl(name)}executions/`),
  stop: (id: string, reason: { error?: string; cause?: string }) =>
    request<Execution>("POST", `/api/v1/executions/${id}/stop/`, reason),
  redrive: (id: string) => request<Execution>("POST", `/api/v1/executions/${id}/redrive/`, {}),
  pendingTasks: (id: string) =>
    request<{ pending_tasks: PendingTask[] }>("GET", `/api/v1/executions/${id}/pending-tasks/`),
  approve: (taskToken: string, output: unknown) =>
    request<object>("POST", "/api/v1/task-tokens/success/", {
      taskToken,
      output: jsonText(output),
    }),
  reject: (taskToken: string, error: string, cause: string) =>
    request<object>("POST", "/api/v1/task-tokens/failure/", { taskToken, error, cause }),
};

export interface HistoryPage {
  events: HistoryEvent[];
  /** The name of the state each event belongs to, in the order of `events`. */
  owners?: (string | null)[];
  /** With `after`: where the next page starts; null on the last page. */
  next_after?: number | null;
  /** With `before`: where the page of older events ends; null at the first event. */
  next_before?: number | null;
}

/**
 * A value as the JSON text the API reads it from (as AWS's SDKs send it): the server reads
 * every string as JSON text, so a string value must be sent as text too.
 */
export const jsonText = (value: unknown): string | undefined =>
  value === undefined ? undefined : JSON.stringify(value);

export const executionPageUrl = (id: string): string => `/executions/${id}/`;

export interface EventStream {
  close(): void;
}

export interface StreamHandlers {
  /** The last event id already shown; the server sends only later ones. */
  after(): number;
  onEvent(event: HistoryEvent): void;
  isDone(): boolean;
  /** Called once the server has refused or dropped the connection too many times in a row. */
  onGiveUp(): void;
}

const MAX_RETRIES = 8;

export function socketUrl(path: string): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}${path}`;
}

/**
 * Follows an execution's events. The server replays everything after `after`, so reconnecting
 * with the last id seen after a dropped connection neither loses nor repeats an event.
 */
export function followExecution(id: string, handlers: StreamHandlers): EventStream {
  let socket: WebSocket | null = null;
  let closed = false;
  let retries = 0;
  const open = (): void => {
    socket = new WebSocket(socketUrl(`/ws/executions/${id}/?after=${handlers.after()}`));
    socket.onmessage = (message: MessageEvent<string>) => {
      retries = 0;
      try {
        handlers.onEvent(JSON.parse(message.data) as HistoryEvent);
      } catch {
        // A malformed message is skipped; the next reconnect replays from the last good id.
      }
    };
    socket.onclose = () => {
      if (closed || handlers.isDone()) return;
      retries += 1;
      if (retries > MAX_RETRIES) {
        handlers.onGiveUp();
        return;
      }
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

/**
 * Follows the summaries of a machine's executions as they change. The server replays nothing,
 * so after a reconnect `onReconnect` fetches the list again to catch up on what was missed.
 */
export function followMachine(
  name: string,
  onSummary: (summary: ExecutionSummary) => void,
  onReconnect: () => void,
): EventStream {
  let socket: WebSocket | null = null;
  let closed = false;
  let retries = 0;
  const open = (): void => {
    socket = new WebSocket(socketUrl(`/ws/state-machines/${encodeURIComponent(name)}/`));
    socket.onopen = () => {
      if (retries > 0) onReconnect();
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      retries = 0;
      try {
        onSummary(JSON.parse(message.data) as ExecutionSummary);
      } catch {
        // A malformed message is skipped; the list is refetched on the next reconnect.
      }
    };
    socket.onclose = () => {
      if (closed) return;
      retries += 1;
      if (retries > MAX_RETRIES) return;
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
