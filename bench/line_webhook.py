"""A flood morning on the LINE webhook: 40 residents each sending 5 messages at once.

Runs the app as production does (``gunicorn -c gunicorn.conf.py``, 4 workers, PostgreSQL, the
LINE event processors started by the gunicorn master) against a local fake of LINE's API that
takes 200 ms to answer every call. Then:

1. **fresh workers:** 4 webhooks at once right after start-up, one per fresh worker: how long
   the first webhook of a fresh worker waits for its 200;
2. **the burst:** 200 signed webhook calls at once (40 residents x 5 text messages, each its own
   HTTP request), timing each acknowledgement (LINE gives up after 2 s);
3. **the answers:** waits until LINE has received the bot's answer to every event, and prints
   how many events were answered exactly once and the time from webhook to answer.

    .venv/bin/python bench/line_webhook.py                      # this checkout
    .venv/bin/python bench/line_webhook.py --root ../old-main   # another checkout (before/after)

``BENCH_ADMIN_URL`` names the PostgreSQL server (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); the database ``bench_line`` is
created and dropped. Aims (issue 13): ack p99 under 100 ms, every event answered exactly once,
answer p95 under 2 s, first webhook of a fresh worker under 500 ms.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import urllib3
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.line_api import FakeLineApi  # noqa: E402
from tests.fakes.line_webhook import line_event, sign, webhook_body  # noqa: E402

ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "bench_line"
SECRET = "bench-channel-secret"
RESIDENTS = 40
MESSAGES_EACH = 5
WORKERS = 4
LINE_LATENCY = 0.2
FRESH_WORKER_PROBES = 4
ANSWER_TIMEOUT = 120.0
REPLY, PUSH = "/v2/bot/message/reply", "/v2/bot/message/push"


def _database_url() -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}"


def _recreate_database() -> None:
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    engine.dispose()


def _drop_database() -> None:
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(root: Path, fake: FakeLineApi, instance: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(root),
        "RONGRIAN_INSTANCE_DIR": instance,
        "DATABASE_URL": _database_url(),
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": "bench-token",
        "LINE_API_BASE_URL": fake.base_url,
        "LINE_DATA_API_BASE_URL": fake.base_url,
        "LINE_SIMULATOR_ENABLED": "false",
        "NOTIFY_PROCESSES": "0",
    }


def _prepare(root: Path, env: dict[str, str]) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["seed"]):
        subprocess.run(flask + command, cwd=root, env=env, check=True, capture_output=True)  # noqa: S603


def _start_gunicorn(root: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    args += ["--bind", f"127.0.0.1:{port}"]
    if (root / "gunicorn.conf.py").exists():
        args += ["-c", "gunicorn.conf.py"]
    return subprocess.Popen([*args, "wsgi:app"], cwd=root, env=env)  # noqa: S603


def _wait_until_listening(port: int) -> None:
    """Until gunicorn accepts connections; no request is sent, so every worker stays fresh."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.1)
            continue
        time.sleep(1)  # the master forks its workers right after it starts listening
        return
    raise SystemExit("gunicorn did not start")


def _post(http: urllib3.PoolManager, url: str, body: bytes) -> tuple[float, float]:
    """Post one signed body; return (sent at, seconds until the 200)."""
    headers = {"Content-Type": "application/json", "x-line-signature": sign(body, SECRET)}
    sent_at = time.time()
    started = time.perf_counter()
    response = http.request("POST", url, body=body, headers=headers, retries=False, timeout=30)
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"webhook answered {response.status}: {response.data[:200]!r}")
    return sent_at, elapsed


def _burst_events() -> list[dict]:  # type: ignore[type-arg]
    return [
        line_event("text", user_id=f"U{resident:032x}", text=f"สวัสดีครับ ข้อความที่ {n + 1}")
        for resident in range(1, RESIDENTS + 1)
        for n in range(MESSAGES_EACH)
    ]


def _percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _wait_for_answers(fake: FakeLineApi, tokens: set[str]) -> None:
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        answered = {r.json["replyToken"] for r in fake.requests_to(REPLY) if r.status}
        if tokens <= answered and not any(r.status == 0 for r in fake.requests):
            return
        time.sleep(0.05)


def _fresh_workers(http: urllib3.PoolManager, url: str, fake: FakeLineApi) -> list[float]:
    """Acknowledgement times of the first webhooks; returns once the processors answered them."""
    events = [line_event("follow", user_id=f"U{n:032x}") for n in range(900, 904)]
    with ThreadPoolExecutor(FRESH_WORKER_PROBES) as pool:
        results = list(pool.map(lambda e: _post(http, url, webhook_body(e)), events))
    _wait_for_answers(fake, {event["replyToken"] for event in events})
    return [elapsed for _sent, elapsed in results]


def _burst(http: urllib3.PoolManager, url: str, fake: FakeLineApi) -> None:
    events = _burst_events()
    bodies = [webhook_body(event) for event in events]
    with ThreadPoolExecutor(len(bodies)) as pool:
        results = list(pool.map(lambda b: _post(http, url, b), bodies))
    acks = [elapsed for _sent, elapsed in results]
    sent_at = {event["replyToken"]: sent for event, (sent, _e) in zip(events, results, strict=True)}
    _wait_for_answers(fake, set(sent_at))
    replies = [r for r in fake.requests_to(REPLY, status=200) if r.json["replyToken"] in sent_at]
    per_event = Counter(r.json["replyToken"] for r in replies)
    users = {event["source"]["userId"] for event in events}
    pushes = [r for r in fake.requests_to(PUSH) if r.json["to"] in users]
    answers = [r.answered_at - sent_at[r.json["replyToken"]] for r in replies]
    once = sum(1 for token in sent_at if per_event[token] == 1)
    print(f"burst: {len(bodies)} webhook calls at once ({RESIDENTS} residents x {MESSAGES_EACH})")
    print(
        f"  ack p50 {_ms(statistics.median(acks))}, p95 {_ms(_percentile(acks, 95))}, "
        f"p99 {_ms(_percentile(acks, 99))}, max {_ms(max(acks))}; "
        f"over 2 s: {sum(a > 2 for a in acks)}"
    )
    print(
        f"  answered exactly once: {once} of {len(bodies)} "
        f"(answered twice or more: {sum(1 for n in per_event.values() if n > 1)}; "
        f"pushes: {len(pushes)})"
    )
    if answers:
        print(
            f"  webhook to answer: p50 {_ms(statistics.median(answers))}, "
            f"p95 {_ms(_percentile(answers, 95))}, max {_ms(max(answers))}"
        )


def main() -> None:
    """Run the benchmark against ``--root`` and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to run (wsgi.py)")
    root = parser.parse_args().root.resolve()
    _recreate_database()
    server = None
    try:
        with tempfile.TemporaryDirectory() as instance, FakeLineApi(latency=LINE_LATENCY) as fake:
            env = _environment(root, fake, instance)
            _prepare(root, env)
            port = _free_port()
            server = _start_gunicorn(root, env, port)
            base = f"http://127.0.0.1:{port}"
            http = urllib3.PoolManager(maxsize=256)
            _wait_until_listening(port)
            print(f"gunicorn: {WORKERS} workers, PostgreSQL, LINE answering in {_ms(LINE_LATENCY)}")
            fresh = _fresh_workers(http, f"{base}/line/webhook", fake)
            print(f"fresh workers' first webhook: max {_ms(max(fresh))} ({len(fresh)} at once)")
            _burst(http, f"{base}/line/webhook", fake)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        _drop_database()


if __name__ == "__main__":
    main()
