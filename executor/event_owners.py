"""The state each history event belongs to, for a page of the history (the run view's State
column), worked out without reading the history before the page.

AWS's events do not name their state, except the state entries and exits (and a Map's
iteration events, which name the Map). Every other event names the event it follows
(previousEventId), and the interpreter chains the events of one branch (the run's top
level, a Map iteration, a Parallel branch) one after another. So:

- a named event belongs to the state it names;
- a Map's or Parallel's own event (MapStateStarted, MapStateFailed, ParallelStateSucceeded,
  MapRun...) follows the inner event that ended the container's work, so it belongs to the
  container whose entry (or, for a Map, whose iteration start) the chain leads back to, past
  any nested container of the same type (counted by their end events);
- any other event belongs to the state the event it follows belongs to.

Inside the page this is a walk along the page's own events; where a chain leaves the page,
a recursive query follows it in the database, one indexed lookup per hop, from those few
events only (one per branch open at the page's start), so its cost follows the branches and
the chains' lengths, never the size of the history. That query is PostgreSQL's; on SQLite,
the embedded default for one person's small histories, the events before the page are read
instead and walked in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from executor.models import HistoryEvent

# A chain longer than this is broken (or a loop without a named event): left unnamed.
MAX_HOPS = 10_000
CONTAINER_ENDS = ("StateSucceeded", "StateFailed", "StateAborted")


def state_name(details: Any) -> str | None:
    """The state an event's details name, if any."""
    name = details.get("name") if isinstance(details, dict) else None
    return name if isinstance(name, str) else None


def named(type: str) -> bool:
    return type.endswith(("StateEntered", "StateExited")) or type.startswith("MapIteration")


def container_kind(type: str) -> str | None:
    """ "Map" or "Parallel" for a container's own unnamed event, else None."""
    if named(type):
        return None
    if type.startswith(("MapState", "MapRun")):
        return "Map"
    if type.startswith("ParallelState"):
        return "Parallel"
    return None


@dataclass(frozen=True)
class Walk:
    """Where a chain left the page: go on from event ``start`` in ``mode`` ("" for the
    nearest named or container event, a container kind for that container's entry)."""

    mode: str
    depth: int
    start: int


Row = tuple[int, int, str, str | None]  # id, previous id, type, details name


def step(mode: str, depth: int, type: str, name: str | None) -> tuple[bool, int]:
    """Whether the walk ends at this event, and the depth after it (walking backwards)."""
    if not mode:
        return named(type) or container_kind(type) is not None, depth
    if depth == 0 and (
        type == mode + "StateEntered" or (mode == "Map" and type.startswith("MapIteration"))
    ):
        return True, depth
    if type in tuple(mode + end for end in CONTAINER_ENDS):
        return False, depth + 1  # the end of a nested container of the same type
    if type == mode + "StateEntered":
        return False, depth - 1
    return False, depth


def _walk_sql() -> str:
    table = HistoryEvent._meta.db_table
    ends = ", ".join(f"w.mode || '{end}'" for end in CONTAINER_ENDS)
    is_named = (
        "({t} LIKE '%%StateEntered' OR {t} LIKE '%%StateExited' OR {t} LIKE 'MapIteration%%')"
    )
    is_container = (
        "(({t} LIKE 'MapState%%' OR {t} LIKE 'MapRun%%' OR {t} LIKE 'ParallelState%%') "
        f"AND NOT {is_named})"
    )
    terminal = (
        "CASE WHEN w.mode = '' THEN "
        + is_named.format(t="w.type")
        + " OR "
        + is_container.format(t="w.type")
        + " ELSE w.depth = 0 AND (w.type = w.mode || 'StateEntered' OR "
        "(w.mode = 'Map' AND w.type LIKE 'MapIteration%%')) END"
    )
    return f"""
        WITH RECURSIVE walk(seed, mode, depth, id, prev, type, name, hops) AS (
            SELECT s.seed, s.mode, s.depth, e.event_id, e.previous_event_id, e.type,
                   e.details->>'name', 0
            FROM unnest(%(seeds)s::int[], %(modes)s::text[], %(depths)s::int[],
                        %(starts)s::int[]) AS s(seed, mode, depth, start)
            JOIN {table} e ON e.execution_id = %(execution)s AND e.event_id = s.start
            UNION ALL
            SELECT w.seed, w.mode,
                   w.depth + CASE WHEN w.type IN ({ends}) THEN 1
                                  WHEN w.type = w.mode || 'StateEntered' THEN -1 ELSE 0 END,
                   e.event_id, e.previous_event_id, e.type, e.details->>'name', w.hops + 1
            FROM walk w
            JOIN {table} e ON e.execution_id = %(execution)s AND e.event_id = w.prev
            WHERE w.hops < {MAX_HOPS} AND NOT ({terminal})
        )
        SELECT w.seed, w.id, w.prev, w.type, w.name FROM walk w WHERE {terminal}
    """


def _walk_in_database(execution_id: Any, walks: list[Walk]) -> dict[Walk, Row | None]:
    """The event each walk ends at (None for a broken chain)."""
    if not walks:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            _walk_sql(),
            {
                "execution": execution_id,
                "seeds": list(range(len(walks))),
                "modes": [w.mode for w in walks],
                "depths": [w.depth for w in walks],
                "starts": [w.start for w in walks],
            },
        )
        found = {seed: (id, prev, type, name) for seed, id, prev, type, name in cursor.fetchall()}
    return {walk: found.get(n) for n, walk in enumerate(walks)}


def _walks_end(execution_id: Any, walks: set[Walk]) -> dict[Walk, str | None]:
    """The state each walk out of the page leads to. A plain walk may end at a container's
    own event, whose container is one more walk away (a second query, rarely a third)."""
    then: dict[Walk, Walk] = {}
    ended: dict[Walk, str | None] = {}
    pending = list(walks)
    while pending:
        again: list[Walk] = []
        for walk, row in _walk_in_database(execution_id, pending).items():
            if row is None:
                ended[walk] = None
            elif walk.mode or named(row[2]):
                ended[walk] = row[3]
            else:
                then[walk] = Walk(container_kind(row[2]) or "", 0, row[1])
                again.append(then[walk])
        pending = [w for w in again if w not in ended]
    # Each plain walk's answer is its container walk's, found in a later round.
    for walk, nested in reversed(list(then.items())):
        ended[walk] = ended.get(nested)
    return ended


def owners(execution_id: Any, rows: list[Row]) -> list[str | None]:
    """The state name owning each of ``rows`` (one page of the history, in id order)."""
    page = {row[0]: row for row in rows}
    if rows and connection.vendor != "postgresql":  # no unnest: every chain stays in memory
        earlier = HistoryEvent.objects.filter(execution_id=execution_id, event_id__lt=rows[0][0])
        for event_id, previous, type, details in earlier.values_list(
            "event_id", "previous_event_id", "type", "details"
        ).iterator():
            page[event_id] = (event_id, previous, type, state_name(details))
    found: dict[int, str | None] = {}
    # An event whose owner is another event's (in the page) or a walk's (out of it).
    follows: dict[int, int | Walk] = {}

    def walk_from(mode: str, start: int) -> str | int | Walk | None:
        """Walks the page from ``start``: a name, an event of the page whose owner is the
        answer, or the walk to go on with in the database."""
        depth, hops = 0, 0
        while start in page and hops < MAX_HOPS:
            event_id, previous, type, name = page[start]
            end, depth = step(mode, depth, type, name)
            if end:
                return name if mode or named(type) else event_id
            start, hops = previous, hops + 1
        return Walk(mode, depth, start) if start > 0 and hops < MAX_HOPS else None

    for event_id, previous, type, name in rows:
        if named(type):
            found[event_id] = name
            continue
        target = walk_from(container_kind(type) or "", previous)
        if target is None or isinstance(target, str):
            found[event_id] = target
        else:
            follows[event_id] = target
    ended = _walks_end(execution_id, {t for t in follows.values() if isinstance(t, Walk)})
    # In id order: an event followed in the page is earlier, so already resolved.
    for event_id, target in sorted(follows.items()):
        found[event_id] = ended.get(target) if isinstance(target, Walk) else found[target]
    return [found[row[0]] for row in rows]
