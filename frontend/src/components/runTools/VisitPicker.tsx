// Which time a looped state ran, for Rerun from here: each visit with its time; choosing one
// takes the input the state got that time (its StateEntered event).
import { useEffect, useState } from "react";
import { api } from "../../api";
import { eventDetails, type JsonValue } from "../../asl/types";
import { runToolsApi, type StateVisit } from "../../runToolsApi";
import { messageOf } from "../../store/derive";

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

export function VisitPicker({
  executionId,
  state,
  onInput,
}: {
  executionId: string;
  state: string;
  onInput: (input: JsonValue) => void;
}) {
  const [visits, setVisits] = useState<StateVisit[] | null>(null);
  const [more, setMore] = useState(false);
  const [chosen, setChosen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setVisits(null);
    runToolsApi.stateVisits(executionId, state).then(
      (page) => {
        if (!live) return;
        setVisits(page.visits);
        setMore(page.next_cursor !== null);
        // The input shown already is the last visit's (what the run view shows).
        setChosen(page.visits[page.visits.length - 1]?.eventId ?? null);
      },
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [executionId, state]);

  const choose = async (eventId: number): Promise<void> => {
    setChosen(eventId);
    setError(null);
    try {
      const { events } = await api.history(executionId, { after: eventId - 1, limit: 1 });
      const text = events[0] ? eventDetails(events[0])["input"] : undefined;
      onInput(typeof text === "string" ? (JSON.parse(text) as JsonValue) : {});
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (error)
    return (
      <p className="field-error" role="alert" data-testid="rerun-visit-error">
        {error}
      </p>
    );
  if (visits === null || visits.length < 2) return null;
  const last = visits.length - 1;
  return (
    <label className="field">
      <span className="label">
        Which time {state} ran{" "}
        <span className="muted small">
          (it ran {visits.length}
          {more ? "+" : ""} times in this run)
        </span>
      </span>
      <select
        value={chosen ?? ""}
        data-testid="rerun-visit"
        onChange={(e) => void choose(Number(e.target.value))}
      >
        {visits.map((visit, i) => (
          <option key={visit.eventId} value={visit.eventId}>
            The {ordinal(i + 1)} time{i === last && !more ? " (the last)" : ""} ·{" "}
            {new Date(visit.timestamp).toLocaleTimeString()}
          </option>
        ))}
      </select>
    </label>
  );
}
