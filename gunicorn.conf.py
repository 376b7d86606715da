"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

- The app is imported and warmed once in the master (``preload_app`` and ``app.warm_up``), so a
  fresh worker's first request costs what its hundredth does; each worker then opens its own
  database connections (``post_fork``).
- The master starts the background processes the service needs beside the web workers (at a
  lower CPU priority, so that web requests come first) and restarts one that dies:
  ``LINE_PROCESSES`` LINE event processors (``flask line run``) and ``NOTIFY_PROCESSES``
  notification workers (``flask notifications run``). Set them to 0 when a process manager
  (systemd) runs those commands instead.

Settings come from the environment through ``app.config`` like everything else; gunicorn's own
command-line flags (``--workers``, ``--bind``) still override the values here.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

from app.config import Config

settings = Config.from_env()

bind = "127.0.0.1:8000"
workers = 4
# A request spends most of its time waiting for the database; threads let a worker take the
# next webhook meanwhile (every request has its own database session: ``app.database``).
worker_class = "gthread"
threads = 4
preload_app = True
# LINE counts a webhook as failed after 2 s; nothing the app does should take 30.
timeout = 30

# Background processes run at a lower CPU priority: on a burst, the web workers acknowledge
# webhooks and serve pages first. Measured with bench/line_webhook.py on 2 cores: nice 4 keeps
# acknowledgements as fast as nice 10 while the answers go out sooner (nice 0 slows both).
BACKGROUND = ["nice", "-n", "4", sys.executable, "-m", "flask", "--app", "wsgi"]
RESTART_DELAY_SECONDS = 2.0


class Supervised:
    """One background command, started again whenever it exits, until ``stop``."""

    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._keep_running, daemon=True)

    def start(self) -> None:
        """Start the command and watch it."""
        self.thread.start()

    def _keep_running(self) -> None:
        while not self.stopping.is_set():
            self.process = subprocess.Popen(self.args)  # noqa: S603 (our own fixed command)
            self.process.wait()
            self.stopping.wait(RESTART_DELAY_SECONDS)

    def stop(self) -> None:
        """Ask the command to finish (SIGTERM) and wait for it."""
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


background: list[Supervised] = []


def when_ready(server: Any) -> None:
    """Warm the preloaded app, then start the background processes."""
    from app import warm_up

    warm_up(server.app.wsgi())
    commands = [["line", "run"]] * settings.LINE_PROCESSES
    commands += [["notifications", "run"]] * settings.NOTIFY_PROCESSES
    for command in commands:
        process = Supervised(BACKGROUND + command)
        process.start()
        background.append(process)


def post_fork(server: Any, worker: Any) -> None:
    """A new worker opens its own database connections (never the master's)."""
    from app.extensions import db

    if db.engine is not None:
        db.engine.dispose(close=False)


def on_exit(server: Any) -> None:
    """Stop the background processes with the master."""
    for process in background:
        process.stop()
