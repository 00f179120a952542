// Time travel: a slider over the run's events, with step buttons and play/pause. Moving it shows
// the graph, and each state's data, as they were at that event (graph-status?at=).
import { useEffect, useState } from "react";
import { useRunTools } from "../../store/runTools";

const PLAY_STEP_MS = 600;

/** "PassStateEntered" reads as "Pass state entered". */
export function eventWords(type: string): string {
  const words = type.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function clock(timestamp: string | undefined): string {
  return timestamp ? new Date(timestamp).toLocaleTimeString() : "";
}

export function TimeScrubber() {
  const live = useRunTools((s) => s.live);
  const shown = useRunTools((s) => s.shown);
  const scrubAt = useRunTools((s) => s.scrubAt);
  const scrubTo = useRunTools((s) => s.scrubTo);
  const [playing, setPlaying] = useState(false);
  const last = live?.lastEventId ?? 0;
  const at = scrubAt ?? last;

  useEffect(() => {
    if (!playing) return;
    if (at >= last) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => scrubTo(at + 1), PLAY_STEP_MS);
    return () => clearTimeout(timer);
  }, [playing, at, last, scrubTo]);

  if (!live || last === 0) return null;
  const go = (next: number): void => scrubTo(Math.max(1, Math.min(last, next)));
  const event = shown?.at === at ? shown.event : null;
  const described = event
    ? `Event ${at} of ${last}: ${eventWords(event.type)} at ${clock(event.timestamp)}`
    : `Event ${at} of ${last}`;
  return (
    <section className="time-scrubber" aria-label="Time travel" data-testid="time-scrubber">
      <div className="scrubber-buttons">
        <button
          type="button"
          className="secondary icon-button"
          aria-label="First event"
          title="First event"
          data-testid="scrub-first"
          disabled={at <= 1}
          onClick={() => go(1)}
        >
          ◀◀
        </button>
        <button
          type="button"
          className="secondary icon-button"
          aria-label="One event back"
          title="One event back"
          data-testid="scrub-back"
          disabled={at <= 1}
          onClick={() => go(at - 1)}
        >
          ◀
        </button>
        <button
          type="button"
          className="secondary"
          aria-label={playing ? "Pause" : "Play"}
          title={playing ? "Pause" : "Play the run event by event"}
          data-testid="scrub-play"
          onClick={() => {
            if (!playing && at >= last) go(1);
            setPlaying(!playing);
          }}
        >
          {playing ? "Pause" : "Play"}
        </button>
        <button
          type="button"
          className="secondary icon-button"
          aria-label="One event forward"
          title="One event forward"
          data-testid="scrub-forward"
          disabled={at >= last}
          onClick={() => go(at + 1)}
        >
          ▶
        </button>
        <button
          type="button"
          className="secondary icon-button"
          aria-label="Latest event"
          title="Back to now"
          data-testid="scrub-latest"
          disabled={scrubAt === null}
          onClick={() => {
            setPlaying(false);
            scrubTo(null);
          }}
        >
          ▶▶
        </button>
      </div>
      <input
        type="range"
        className="scrubber-range"
        min={1}
        max={last}
        step={1}
        value={at}
        aria-label="Event of the run to show"
        aria-valuetext={described}
        data-testid="scrub-range"
        onChange={(e) => {
          setPlaying(false);
          go(Number(e.target.value));
        }}
      />
      <p className="scrubber-caption" aria-live="polite" data-testid="scrub-caption">
        {scrubAt === null ? (
          <>
            <strong>Now</strong> · {described}
          </>
        ) : (
          <>
            <strong>As it was</strong> · {described}
          </>
        )}
      </p>
    </section>
  );
}
