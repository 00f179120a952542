"""A virtual clock for interpreter tests: sleeping moves time forward at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class VirtualClock:
    def __init__(self, start: datetime = START) -> None:
        self.start = start
        self._now = start

    def now(self) -> datetime:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._now += timedelta(seconds=seconds)

    @property
    def elapsed(self) -> float:
        return (self._now - self.start).total_seconds()
