// How the states inside a Map or Parallel fared across all its iterations and branches: each
// entry into a state is an instance, placed under the container instance it ran in by following
// previousEventId, and counted as running, succeeded or failed.
import { eventDetails, type HistoryEvent, type StateStatus } from "./types";

export interface InnerCounts {
  running: number;
  succeeded: number;
  failed: number;
}

interface Instance {
  name: string;
  type: string;
  /** The id of the Entered event of the Map or Parallel instance it ran in; 0 at top level. */
  parent: number;
  status: "running" | "succeeded" | "failed";
}

const CONTAINERS = new Set(["Map", "Parallel"]);
const ENTERED = "StateEntered";

function nameOf(event: HistoryEvent): string | null {
  const name = eventDetails(event)["name"];
  return typeof name === "string" ? name : null;
}

/** The Map or Parallel instance (by Entered id) an instance ran in, or itself if it is one. */
function nearest(
  instances: Map<number, Instance>,
  from: number,
  matches: (instance: Instance) => boolean,
): number {
  let id = from;
  while (id !== 0) {
    const instance = instances.get(id);
    if (!instance) return 0;
    if (matches(instance)) return id;
    id = instance.parent;
  }
  return 0;
}

/** Marks what still runs under a container instance that has ended as failed. */
function failInside(
  instances: Map<number, Instance>,
  children: Map<number, number[]>,
  container: number,
): void {
  const stack = [...(children.get(container) ?? [])];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const instance = instances.get(id);
    if (instance?.status === "running") instances.set(id, { ...instance, status: "failed" });
    stack.push(...(children.get(id) ?? []));
  }
}

/** Every state instance of a run, keyed by the id of its Entered event. */
export function stateInstances(events: HistoryEvent[]): Map<number, Instance> {
  const instances = new Map<number, Instance>();
  const children = new Map<number, number[]>();
  const ownerOf = new Map<number, number>();
  const typeOf = new Map<number, string>();
  for (const event of [...events].sort((a, b) => a.id - b.id)) {
    typeOf.set(event.id, event.type);
    const previous = event.previousEventId ?? 0;
    const before = ownerOf.get(previous) ?? 0;
    const name = nameOf(event);
    if (event.type.endsWith(ENTERED) && name !== null) {
      const type = event.type.slice(0, -ENTERED.length);
      const previousType = typeOf.get(previous) ?? "";
      const leftBefore = previousType.endsWith("StateExited") || previousType.endsWith("Failed");
      // A state entered from inside a running container's own events (its start, an
      // iteration's start) runs in it; one entered after a state ended is that state's sibling.
      const beforeInstance = instances.get(before);
      const inside = beforeInstance && CONTAINERS.has(beforeInstance.type) && !leftBefore;
      const parent = inside ? before : (beforeInstance?.parent ?? 0);
      instances.set(event.id, { name, type, parent, status: "running" });
      const siblings = children.get(parent);
      if (siblings) siblings.push(event.id);
      else children.set(parent, [event.id]);
      ownerOf.set(event.id, event.id);
      continue;
    }
    let owner = before;
    if (event.type.endsWith("StateExited") && name !== null) {
      owner = nearest(instances, before, (instance) => instance.name === name);
    } else if (event.type.endsWith("StateFailed") || event.type.endsWith("StateSucceeded")) {
      // A Map's or Parallel's own end follows the inner event that caused it.
      const kind = event.type.replace(/State(Failed|Succeeded)$/, "");
      owner = nearest(instances, before, (instance) => instance.type === kind);
    }
    ownerOf.set(event.id, owner);
    const instance = instances.get(owner);
    if (!instance) continue;
    const type = event.type;
    if (type.endsWith("StateExited")) {
      instances.set(owner, { ...instance, status: "succeeded" });
      if (CONTAINERS.has(instance.type)) failInside(instances, children, owner);
    } else if (
      !type.startsWith("Execution") &&
      (type.endsWith("Failed") || type.endsWith("TimedOut"))
    ) {
      instances.set(owner, { ...instance, status: "failed" });
      if (CONTAINERS.has(instance.type)) failInside(instances, children, owner);
    } else if (
      instance.status === "failed" &&
      (type.endsWith("Scheduled") || type.endsWith("Started"))
    ) {
      instances.set(owner, { ...instance, status: "running" }); // a retry
    }
  }
  return instances;
}

/**
 * The counts of each state run directly inside the top-level Map or Parallel `container`,
 * over all its iterations, branches and attempts. States still running when the run ended
 * count as failed.
 */
export function innerStateCounts(
  events: HistoryEvent[],
  container: string,
  finished: boolean,
): Record<string, InnerCounts> {
  const instances = stateInstances(events);
  const counts: Record<string, InnerCounts> = {};
  for (const instance of instances.values()) {
    const parent = instances.get(instance.parent);
    if (!parent || parent.name !== container || parent.parent !== 0) continue;
    const tally = (counts[instance.name] ??= { running: 0, succeeded: 0, failed: 0 });
    const status = finished && instance.status === "running" ? "failed" : instance.status;
    tally[status] += 1;
  }
  return counts;
}

/** One colour for a state that ran many times: running wins, then failed, then succeeded. */
export function countsStatus(counts: InnerCounts | undefined): StateStatus {
  if (!counts) return "idle";
  if (counts.running > 0) return "running";
  if (counts.failed > 0) return "failed";
  return counts.succeeded > 0 ? "succeeded" : "idle";
}
