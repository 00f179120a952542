// The approvals side of the REST and WebSocket contract: the inbox, Approve and Reject with a
// comment, who answered a run's tasks, and the live nudge that the inbox changed.
import { request, socketUrl } from "./api";
import type { PendingTask } from "./asl/types";

export interface TaskAnswer {
  state_name: string;
  resource: string;
  approved: boolean;
  comment: string;
  by: string;
  at: string;
  outcome: unknown;
}

/** A group the Approval form may offer (designer/roles.py, approver_groups). */
export interface ApproverGroup {
  name: string;
  /** The user is in it. */
  member: boolean;
  /** The highest role it holds on the machine; null: none. */
  role: string | null;
}

export const approvalsApi = {
  /** The groups an editor may pick as who answers; a viewer is refused (403). */
  approverGroups: (machine: string) =>
    request<{ groups: ApproverGroup[] }>(
      "GET",
      `/api/v1/state-machines/${encodeURIComponent(machine)}/approver-groups/`,
    ),
  inbox: (cursor?: string | null) =>
    request<{ count: number; pending_tasks: PendingTask[]; next_cursor?: string | null }>(
      "GET",
      `/api/v1/pending-tasks/${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
  count: () => request<{ count: number }>("GET", "/api/v1/pending-tasks/count/"),
  approve: (taskToken: string, comment: string) =>
    request<{ output: unknown }>("POST", "/api/v1/task-tokens/approve/", { taskToken, comment }),
  reject: (taskToken: string, comment: string) =>
    request<object>("POST", "/api/v1/task-tokens/reject/", { taskToken, comment }),
  answers: (execution: string) =>
    request<{ answers: TaskAnswer[] }>("GET", `/api/v1/executions/${execution}/task-answers/`),
};

/**
 * Calls `onChange` whenever the waiting task tokens of a machine the user operates change, and
 * after a reconnect (anything may have changed meanwhile). Returns a function that stops it.
 */
export function followApprovals(onChange: () => void): () => void {
  let socket: WebSocket | null = null;
  let closed = false;
  let retries = 0;
  const open = (): void => {
    socket = new WebSocket(socketUrl("/ws/approvals/"));
    socket.onopen = () => {
      if (retries > 0) onChange();
      retries = 0;
    };
    socket.onmessage = () => onChange();
    socket.onclose = () => {
      if (closed) return;
      retries += 1;
      window.setTimeout(open, Math.min(30000, 500 * 2 ** Math.min(retries, 6)));
    };
  };
  open();
  return () => {
    closed = true;
    socket?.close();
  };
}
