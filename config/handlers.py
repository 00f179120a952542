"""How Daphne hands HTTP requests to Django.

Django's own ASGI handler gives every request a thread of its own and hops between it and the
event loop twice for each sync middleware: a dozen hops per request with ours. Under load
those threads fought the event loop for the GIL, and the live events the loop delivers waited
seconds. Our requests are mostly short and sync, so they run as a WSGI server runs them: the
whole middleware chain in one hop, on the process's one sync thread. That also takes a
quarter off the CPU of an API call (a REST start in Daphne: 7.6 ms before, 5.6 ms after).
Requests that may take long (async views such as the activity long poll, and views marked
``runs_long``) keep Django's handler and a thread of their own, so they never hold the
others up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.urls import Resolver404, resolve

View = TypeVar("View", bound=Callable[..., Any])


def runs_long(view: View) -> View:
    """Marks a sync view that may run for seconds: it gets a thread of its own."""
    view.runs_long = True  # type: ignore[attr-defined]
    return view


class QuickASGIHandler(ASGIHandler):
    _middleware_chain: Any

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Without a ThreadSensitiveContext per request, sync code runs on the one sync thread.
        await self.handle(scope, receive, send)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def http_application() -> Any:
    quick, own_thread = QuickASGIHandler(), ASGIHandler()

    async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            view = resolve(scope["path"].removeprefix(scope.get("root_path", ""))).func
        except Resolver404:
            view = None  # static files and 404s are quick
        slow = view is not None and (iscoroutinefunction(view) or getattr(view, "runs_long", False))
        await (own_thread if slow else quick)(scope, receive, send)

    return route
