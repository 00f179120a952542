"""Python functions registered by name as Task resources.

A module listed in settings.TASK_FUNCTION_MODULES registers functions with the decorator::

    @task_function("charge-card")
    def charge(event, context): ...

Lambda ARNs (``arn:aws:lambda:REGION:ACCOUNT:function:NAME``) and
``arn:aws:states:::lambda:invoke`` resolve to them by NAME, so definitions imported from AWS
run unchanged.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.conf import settings

Handler = Callable[[Any, Any], Any]
_registry: dict[str, Handler] = {}
_loaded = False


def task_function(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _registry[name] = fn
        return fn

    return register


def registered() -> dict[str, Handler]:
    global _loaded
    if not _loaded:
        for module in settings.TASK_FUNCTION_MODULES:
            importlib.import_module(module)
        _loaded = True
    return _registry
