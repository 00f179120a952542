"""The API's rate limits, counted in a window that opens at a client's first request.

DRF's own throttles keep a list of timestamps per client and read, trim and write it back on
every request: two Redis round trips and a pickled list, which was half of what a REST start
cost. A counter that expires with its window costs one round trip (SET NX + INCR, pipelined),
and anchoring the window at the first request means a burst is never split in two by a clock
boundary.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling


def count_request(key: str, window_seconds: int) -> tuple[int, float]:
    """Counts one request against ``key`` and says how many the window holds now and how many
    seconds are left of it."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return _count_in_redis(cache, cache.make_and_validate_key(key), window_seconds)
    now = time.time()
    # The local-memory cache is per process; add() opens the window, and keeps its start.
    cache.add(f"{key}:opened", now, window_seconds)
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add() and incr()
        cache.set(key, 1, window_seconds)
        count = 1
    opened = cache.get(f"{key}:opened", now)
    return count, max(0.0, opened + window_seconds - now)


def _count_in_redis(cache: RedisCache, key: str, window_seconds: int) -> tuple[int, float]:
    client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]
    pipe = client.pipeline(transaction=False)
    pipe.set(key, 0, ex=window_seconds, nx=True)
    pipe.incr(key)
    pipe.pttl(key)
    _, count, ttl_ms = pipe.execute()
    return int(count), max(0, ttl_ms) / 1000


class _WindowCount:
    """Replaces SimpleRateThrottle's timestamp history with count_request()."""

    # Not DRF's key: a history list that DRF left in the cache is not a counter.
    cache_format = "throttle_window_%(scope)s_%(ident)s"

    rate: str | None
    num_requests: int
    duration: int
    key: str | None

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if self.key is None:
            return True
        count, self.seconds_left = count_request(self.key, self.duration)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(1, math.ceil(self.seconds_left))


class UserRateThrottle(_WindowCount, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(_WindowCount, throttling.AnonRateThrottle):
    pass
