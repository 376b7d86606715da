"""CPU per LINE acknowledgement and per answered event, in one process (PostgreSQL).

``bench/line_webhook.py`` measures the service as production runs it, on a machine shared with
everything else; this one measures the work itself, without gunicorn, threads or waiting:

- **ack:** ``N`` signed webhook calls, each through the whole WSGI app (verify, store, commit);
- **event:** ``N`` stored text events (40 residents), answered one after the other by
  ``process_event`` with LINE (a local fake, in a child process) answering at once.

It prints the CPU seconds of this process per call. CPU time still grows when other programs
load the machine (shared caches); for a figure that does not, run it under callgrind, which then
counts only the measured loop's instructions (``--callgrind``)::

    .venv/bin/python bench/line_cpu.py                # both, 300 of each
    .venv/bin/python bench/line_cpu.py ack 500
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/line_cpu.py \\
        --callgrind event 100          # "Collected" / N = instructions per event
    .venv/bin/python bench/line_cpu.py --root ../other-checkout ack 500   # before/after
    .venv/bin/python bench/line_cpu.py --profile event 200               # cProfile, top 30

``BENCH_ADMIN_URL`` names the PostgreSQL server, as in ``line_webhook.py``; the database
``bench_line_cpu_<pid>`` is created and dropped.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DATABASE = f"bench_line_cpu_{os.getpid()}"  # runs side by side do not meet
SECRET = "bench-channel-secret"
RESIDENTS = 40
WARM_UP = 20


def _recreate_database(drop_only: bool = False) -> None:
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        if not drop_only:
            connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    engine.dispose()


def _start_fake_line() -> tuple[str, int]:
    """The fake LINE API in a child process, so that its CPU is not counted here."""
    from tests.fakes.line_api import FakeLineApi

    fake = FakeLineApi()
    child = os.fork()
    if child == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        fake.start()
        signal.pause()
        os._exit(0)
    return fake.base_url, child


def _environment(root: Path, line_url: str, instance: str) -> dict[str, str]:
    return {
        "PYTHONPATH": str(root),
        "RONGRIAN_INSTANCE_DIR": instance,
        "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}",
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": "bench-token",
        "LINE_API_BASE_URL": line_url,
        "LINE_DATA_API_BASE_URL": line_url,
        "LINE_SIMULATOR_ENABLED": "false",
    }


def _prepare(root: Path, env: dict[str, str]) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["seed"]):
        subprocess.run(  # noqa: S603
            flask + command, cwd=root, env={**os.environ, **env}, check=True, capture_output=True
        )


def _instrument(state: str) -> None:
    """Turn callgrind's counting of this process on or off (it runs under valgrind)."""
    command = ["callgrind_control", "-i", state, str(os.getpid())]
    subprocess.run(command, check=False, capture_output=True)  # noqa: S603


def _measure(work: Callable[[], Any], count: int, profile: bool, callgrind: bool) -> None:
    """Run ``work`` once, timed (CPU of this process), optionally profiled or counted."""
    label = getattr(work, "__name__", "")
    profiler = cProfile.Profile(time.process_time) if profile else None
    if callgrind:
        _instrument("on")
    started = time.process_time()
    if profiler:
        profiler.enable()
    work()
    if profiler:
        profiler.disable()
    used = time.process_time() - started
    if callgrind:
        _instrument("off")
    print(f"{label}: {count} in {used:.2f} s of CPU, {used / count * 1000:.2f} ms each")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    """Measure ``what`` (ack or event) ``count`` times against ``--root``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["ack", "event", "both"], default="both")
    parser.add_argument("count", nargs="?", type=int, default=300)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to run (wsgi.py)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the loop")
    parser.add_argument("--callgrind", action="store_true", help="count only the loop")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    _recreate_database()
    line_url, fake = _start_fake_line()
    try:
        with tempfile.TemporaryDirectory() as instance:
            env = _environment(root, line_url, instance)
            _prepare(root, env)
            os.environ.update(env)
            _run(args.what, args.count, args.profile, args.callgrind)
    finally:
        os.kill(fake, signal.SIGKILL)
        _recreate_database(drop_only=True)


def _run(what: str, count: int, profile: bool, callgrind: bool) -> None:
    from werkzeug.test import EnvironBuilder

    from app import create_app, warm_up
    from app.extensions import db
    from line_bot.services import process_event, ready_events
    from tests.fakes.line_webhook import line_event, sign, webhook_body

    app = create_app()
    warm_up(app)
    events = [
        line_event("text", user_id=f"U{n % RESIDENTS + 1:032x}", text=f"สวัสดีครับ ข้อความที่ {n}")
        for n in range(WARM_UP + count)
    ]
    environs = []
    for event in events:
        body = webhook_body(event)
        headers = [("Content-Type", "application/json"), ("x-line-signature", sign(body, SECRET))]
        environs.append(
            EnvironBuilder(
                path="/line/webhook", method="POST", data=body, headers=headers
            ).get_environ()
        )

    def start_response(status: str, _headers: Any, _exc: Any = None) -> Callable[[bytes], object]:
        assert status.startswith("200"), status
        return lambda _data: None

    def acknowledge(batch: list[dict[str, Any]]) -> None:
        for environ in batch:
            for _chunk in app(environ, start_response):
                pass

    def acknowledge_all() -> None:
        acknowledge(environs[WARM_UP:])

    def answer_all() -> None:
        with app.app_context():
            while batch := ready_events(200):
                for event_row_id, _user_id in batch:
                    process_event(event_row_id)
            db.session.remove()

    acknowledge(environs[:WARM_UP])
    answer_all()  # the warm-up's events: every path has run once
    if what in ("ack", "both"):
        _measure(acknowledge_all, count, profile, callgrind)
    else:
        acknowledge(environs[WARM_UP:])
    if what in ("event", "both"):
        _measure(answer_all, count, profile, callgrind)


if __name__ == "__main__":
    main()
