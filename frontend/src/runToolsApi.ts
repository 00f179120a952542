// The run view's tools over REST: each state's status as of an event (colours and time travel),
// rerun from a state, the heat map of a machine's recent runs, and a Map's iterations.
import { jsonText, request } from "./api";
import type { Execution, HistoryEvent, StateStatus } from "./asl/types";

export type ServerStateStatus =
  "idle" | "running" | "retrying" | "succeeded" | "failed" | "caught" | "aborted";

export interface StateAtEvent {
  name: string;
  status: ServerStateStatus;
  entered: number;
  exited?: number;
  failed?: number;
  retries?: number;
  aborted?: number;
  enteredEventId?: number;
  /** JSON text, as the history holds it. */
  input?: string | null;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
}

export interface GraphStatus {
  at: number;
  lastEventId: number;
  event: { id: number; type: string; timestamp: string } | null;
  executionStatus: Execution["status"];
  /** By the canvas's state keys: a top-level name, else the state's JSON pointer. */
  states: Record<string, StateAtEvent>;
}

export interface StateHeat {
  count: number;
  failed: number;
  failureRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface HeatMap {
  runs: number;
  partial: boolean;
  states: Record<string, StateHeat>;
}

export interface MapIteration {
  state: string;
  mapEventId: number;
  index: number;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  firstEventId: number;
  lastEventId: number;
  startDate: string | null;
  stopDate: string | null;
  /** A Distributed Map's iteration is a child execution, with a history of its own. */
  childExecutionArn?: string;
}

/** One time a run entered a state: its StateEntered event holds the input it got then. */
export interface StateVisit {
  eventId: number;
  timestamp: string;
}

export interface RunLink {
  id: string;
  name: string;
  startAt?: string;
  status?: string;
}

export interface RunLinks {
  startAt?: string | null;
  rerunOf?: RunLink | null;
  reruns?: RunLink[];
}

const executions = "/api/v1/executions";

export const runToolsApi = {
  graphStatus: (id: string, at?: number | null) =>
    request<GraphStatus>(
      "GET",
      `${executions}/${id}/graph-status/${at === undefined || at === null ? "" : `?at=${at}`}`,
    ),
  rerun: (
    id: string,
    body: { state: string; input: unknown; name?: string; version?: "same" | "latest" },
  ) =>
    request<Execution & RunLinks>("POST", `${executions}/${id}/rerun/`, {
      ...body,
      input: jsonText(body.input),
    }),
  stateVisits: (id: string, state: string) =>
    request<{ visits: StateVisit[]; next_cursor: string | null }>(
      "GET",
      `${executions}/${id}/state-visits/?state=${encodeURIComponent(state)}&limit=1000`,
    ),
  heatMap: (machine: string, last: number) =>
    request<HeatMap>(
      "GET",
      `/api/v1/state-machines/${encodeURIComponent(machine)}/heat-map/?last=${last}`,
    ),
  mapIterations: (
    id: string,
    query: { state: string; status?: string; after?: number; limit?: number },
  ) => {
    const params = new URLSearchParams({ state: query.state });
    if (query.status) params.set("status", query.status);
    if (query.after) params.set("after", String(query.after));
    params.set("limit", String(query.limit ?? 20));
    return request<{
      iterations: MapIteration[];
      counts: Record<string, number>;
      next_after: number | null;
      partial: boolean;
    }>("GET", `${executions}/${id}/map-iterations/?${params.toString()}`);
  },
  iterationEvents: (id: string, it: MapIteration) =>
    it.childExecutionArn
      ? request<{ events: HistoryEvent[] }>(
          "GET",
          `/api/v1/child-executions/${encodeURIComponent(it.childExecutionArn)}/history/?limit=200`,
        )
      : request<{ events: HistoryEvent[] }>(
          "GET",
          `${executions}/${id}/map-iterations/${it.mapEventId}/${it.index}/events/?limit=200`,
        ),
};

/** The canvas's colours for the server's statuses: a retry is still running. */
export function canvasStatus(status: ServerStateStatus): StateStatus {
  if (status === "retrying") return "running";
  if (status === "aborted") return "failed";
  return status;
}
