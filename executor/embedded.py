"""The embedded default: a Celery worker and the sweep in threads of the web process.

Nothing to install or start besides the web server: the worker consumes the in-memory broker
of this very process, and the sweep (Celery beat's job in production) is a plain thread.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from config.celery import app
from executor import actions

log = logging.getLogger(__name__)


def start_worker(concurrency: int = 4) -> threading.Thread:
    app.finalize()
    app.set_current()
    app.set_default()
    worker = app.WorkController(
        pool_cls="threads",
        concurrency=concurrency,
        hostname=f"embedded@{threading.get_ident()}",
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
        loglevel="WARNING",
    )
    thread = threading.Thread(target=worker.start, name="celery-worker", daemon=True)
    thread.start()
    return thread


def _sweep_forever(interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            actions.sweep()
        except Exception:
            log.exception("sweep failed")
        finally:
            close_old_connections()


def start_sweeper(interval: float = 1.0) -> threading.Thread:
    thread = threading.Thread(target=_sweep_forever, args=(interval,), name="sweep", daemon=True)
    thread.start()
    return thread
