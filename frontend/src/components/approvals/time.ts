// How long ago, and how long until, in words a person reads at a glance.
import { useEffect, useState } from "react";

export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? "" : "s"} ${hours % 24} h`;
}

/** The time now, again every `everyMs`: waiting times and deadlines count on screen. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The nearer of a task's deadline and heartbeat deadline, in ms since the epoch. */
export function expiry(deadline: string | null, heartbeat: string | null): number | null {
  const times = [deadline, heartbeat].filter((t): t is string => !!t).map((t) => Date.parse(t));
  return times.length ? Math.min(...times) : null;
}
