import { keyInfo } from "../asl/runStatus";
import { useGraph } from "../store";

function timeOf(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  // Milliseconds matter: many events of one run share the same second.
  return date.toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hour12: false,
  });
}

export function EventTable() {
  const events = useGraph((s) => s.events);
  const owners = useGraph((s) => s.run.owners);
  const select = useGraph((s) => s.select);
  if (events.length === 0) {
    return <p className="muted empty-panel">No events yet.</p>;
  }
  return (
    <table className="events" data-testid="event-table">
      <thead>
        <tr>
          <th>#</th>
          <th>Type</th>
          <th>State</th>
          <th>Time</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => {
          const owner = owners[event.id];
          const state = owner === undefined ? null : keyInfo(owner);
          return (
            <tr
              key={event.id}
              data-testid="event-row"
              className={/Failed|TimedOut|Aborted/.test(event.type) ? "event-bad" : undefined}
            >
              <td className="num">{event.id}</td>
              <td>{event.type}</td>
              <td>
                {state === null ? (
                  <span className="muted">—</span>
                ) : state.topLevel ? (
                  <button type="button" className="link" onClick={() => select(state.name)}>
                    {state.name}
                  </button>
                ) : (
                  // Inner states of a Map or Parallel have no node of their own to select.
                  <span className="inner-state">{state.name}</span>
                )}
              </td>
              <td className="num">{timeOf(event.timestamp)}</td>
              <td>
                <details>
                  <summary>Show</summary>
                  <pre>{JSON.stringify(event.details, null, 2)}</pre>
                </details>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
