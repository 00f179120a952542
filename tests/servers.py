"""Starts Statecraft's processes (manage.py commands, Daphne, Celery workers) as subprocesses.

Used by the integration tests, the browser tests and bench/live_latency.py: each process runs
exactly as an operator would start it, in its own process group with its output in a log file,
so a test can wait until it is ready, read its log when something fails, and stop it (and any
children, such as Celery's pool) without leaving anything behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from executor.management.commands.serve import endpoint

ROOT = Path(__file__).resolve().parent.parent
# The interpreter running the tests is the project's virtualenv, with every dependency.
PYTHON = sys.executable
BIN = Path(PYTHON).parent
# Settings that would point a child at the parent's services unless the caller chooses them.
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
TEST_SECRET_KEY = secrets.token_urlsafe(50)


class ServerError(RuntimeError):
    """A process did not start, did not become ready, or a command failed."""


def free_port() -> int:
    """A TCP port nobody listens on now. Another process could take it before ours binds it,
    but the window is a few milliseconds and the kernel hands out ports in sequence."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(**variables: str | None) -> dict[str, str]:
    """This process's environment without its database, broker and settings module, plus
    ``variables`` (a value of None leaves the variable out, e.g. REDIS_URL=None for the
    embedded default). Children get this process's SECRET_KEY, or one key shared by this run."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env["PYTHONUNBUFFERED"] = "1"
    # Production settings refuse to start without a key; every child of one run shares it.
    env.setdefault("SECRET_KEY", TEST_SECRET_KEY)
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(*args: str, env: Mapping[str, str], timeout: float = 120) -> str:
    """Runs `manage.py ARGS` to completion and returns its standard output."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise ServerError(
            f"manage.py {' '.join(args)} exited with {result.returncode}:\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result.stdout


class Process:
    """A long-running child in its own process group, its output in a temporary log file."""

    def __init__(self, name: str, command: Sequence[str], env: Mapping[str, str]) -> None:
        self.name = name
        self.command = list(command)
        self.log_path = Path(tempfile.mkstemp(prefix=f"statecraft-{name}-", suffix=".log")[1])
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own group, so stop() reaches the children too (Celery's prefork pool).
            start_new_session=True,
        )

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:  # stopped: the log went with the process
            return ""

    def log_tail(self, chars: int = 4000) -> str:
        return self.log()[-chars:]

    def wait_until(self, ready: Callable[[], bool], what: str, timeout: float = 60) -> None:
        """Polls ``ready`` until it holds; fails early, with the log, if the process exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise ServerError(
                    f"{self.name} exited with {self.popen.returncode} before {what}:\n"
                    f"{self.log_tail()}"
                )
            if ready():
                return
            time.sleep(0.05)
        raise ServerError(f"{self.name} was not {what} after {timeout} s:\n{self.log_tail()}")

    def wait_for_port(self, port: int, timeout: float = 60) -> None:
        def listening() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                return False

        self.wait_until(listening, f"listening on port {port}", timeout)

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        self.wait_until(lambda: text in self.log(), f"logging {text!r}", timeout)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM to the whole group (a warm shutdown for Celery), SIGKILL if it lingers."""
        if self.popen.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.popen.wait(timeout)
        # Children that outlived their parent (a pool process) must not outlive the test.
        self._signal(signal.SIGKILL)
        self._log.close()
        # Failures quote the log's tail in their message; the file itself is not needed.
        self.log_path.unlink(missing_ok=True)

    def _signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def __enter__(self) -> Process:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_serve(port: int, env: Mapping[str, str], timeout: float = 60) -> Process:
    """`manage.py serve`, as `make run` starts it; ready when it accepts connections."""
    process = Process(
        "serve",
        [PYTHON, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
    )
    try:
        process.wait_for_port(port, timeout)
    except BaseException:
        process.stop()
        raise
    return process


def start_daphne(port: int, env: Mapping[str, str], timeout: float = 60) -> Process:
    """A production web process: Daphne serving config.asgi."""
    process = Process(
        "daphne",
        [str(BIN / "daphne"), "-e", endpoint("127.0.0.1", port), "config.asgi:application"],
        env,
    )
    try:
        process.wait_for_port(port, timeout)
    except BaseException:
        process.stop()
        raise
    return process


def start_celery_worker(
    env: Mapping[str, str], concurrency: int = 2, pool: str = "prefork", timeout: float = 60
) -> Process:
    """A production worker, `celery -A config worker`; ready once it logs that it is."""
    process = Process(
        "celery-worker",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool",
            pool,
            "-c",
            str(concurrency),
            "--loglevel",
            "INFO",
            # Nothing to talk to: other workers are other tests' business.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{os.getpid()}-{free_port()}@%h",
        ],
        env,
    )
    try:
        process.wait_for_log(" ready.", timeout)
    except BaseException:
        process.stop()
        raise
    return process
