"""A flood morning on the LINE webhook: 40 residents each sending 5 messages at once.

Runs the app as production does (``gunicorn -c gunicorn.conf.py``, 4 workers, PostgreSQL, the
LINE event processors started by the gunicorn master) against a local fake of LINE's API that
takes 200 ms to answer every call. Then:

1. **fresh workers:** 4 webhooks at once right after start-up, one per fresh worker: how long
   the first webhook of a fresh worker waits for its 200;
2. **the burst:** after one unmeasured burst (the service in its steady state, its database
   connections open), 200 signed webhook calls at once (40 residents x 5 text messages, each its own
   HTTP request), timing each acknowledgement (LINE gives up after 2 s);
3. **the answers:** waits until LINE has received the bot's answer to every event, and prints
   how many events were answered exactly once and the time from webhook to answer;
4. **the CPU they cost:** CPU seconds of the gunicorn workers and of the event processors, each
   with their own PostgreSQL backends, per acknowledgement and per answered event. Unlike the
   times above, these hardly change when other programs load the machine.

The load generator is kept cheap so that it measures the server, not itself: every request is
built and signed before the burst, and one thread sends them all on plain non-blocking sockets
(one connection per webhook call, as LINE's servers make) and reads the answers with a selector.
Next to the client's ack times it prints gunicorn's own time per request (its access log's
``%(D)s``: from reading the request to sending the answer), so time spent queued (in the
listen backlog, waiting for a free thread or CPU) shows as the difference.

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
import re
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

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
BURST_TIMEOUT = 60.0
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


def _start_gunicorn(
    root: Path, env: dict[str, str], port: int, access_log: Path
) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    args += ["--bind", f"127.0.0.1:{port}"]
    # %(D)s: microseconds from gunicorn reading the request to the end of its answer.
    args += ["--access-logfile", str(access_log), "--access-logformat", "%(D)s %(s)s"]
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


def _request_bytes(port: int, body: bytes) -> bytes:
    """One complete signed webhook request, ready to write to a socket."""
    head = (
        f"POST /line/webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"x-line-signature: {sign(body, SECRET)}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


@dataclass
class _Call:
    """One webhook call in flight: its socket, what is left to send, what came back."""

    request: bytes
    sock: socket.socket
    sent_at: float = 0.0  # time.time(), to compare with the fake LINE's clock
    started: float = 0.0
    elapsed: float = 0.0
    answer: bytes = b""


def _send_all(port: int, requests: list[bytes]) -> list[_Call]:
    """Send every request at once from this one thread; return each call with its ack time.

    Each call opens its own connection (non-blocking connect), writes its prepared bytes as
    soon as the connection is up and is timed from the connect to the end of the answer
    (gunicorn closes the connection after answering: ``Connection: close``).
    """
    selector = selectors.DefaultSelector()
    calls = []
    for request in requests:
        call = _Call(request, socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        call.sock.setblocking(False)
        call.sent_at, call.started = time.time(), time.perf_counter()
        call.sock.connect_ex(("127.0.0.1", port))
        selector.register(call.sock, selectors.EVENT_WRITE, call)
        calls.append(call)
    open_calls, deadline = len(calls), time.monotonic() + BURST_TIMEOUT
    while open_calls and time.monotonic() < deadline:
        for key, mask in selector.select(timeout=1.0):
            call = key.data
            if mask & selectors.EVENT_WRITE:
                written = call.sock.send(call.request)
                call.request = call.request[written:]
                if not call.request:
                    selector.modify(call.sock, selectors.EVENT_READ, call)
                continue
            chunk = call.sock.recv(65536)
            call.answer += chunk
            if not chunk:
                call.elapsed = time.perf_counter() - call.started
                selector.unregister(call.sock)
                call.sock.close()
                open_calls -= 1
    selector.close()
    for call in calls:
        if not call.answer.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"webhook answered {call.answer[:200]!r}")
    return calls


def _burst_events(first_resident: int = 1) -> list[dict]:  # type: ignore[type-arg]
    return [
        line_event("text", user_id=f"U{resident:032x}", text=f"สวัสดีครับ ข้อความที่ {n + 1}")
        for resident in range(first_resident, first_resident + RESIDENTS)
        for n in range(MESSAGES_EACH)
    ]


def _warm_up_burst(port: int, fake: FakeLineApi) -> None:
    """The same burst from other residents, not measured: the service in its steady state.

    Without it the measured burst would also pay for opening every database connection the
    workers' and processors' threads keep (a running service has them open already).
    """
    events = _burst_events(first_resident=1001)
    _send_all(port, [_request_bytes(port, webhook_body(event)) for event in events])
    _wait_for_answers(fake, {event["replyToken"] for event in events})


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


def _fresh_workers(port: int, fake: FakeLineApi) -> list[float]:
    """Acknowledgement times of the first webhooks; returns once the processors answered them."""
    events = [line_event("follow", user_id=f"U{n:032x}") for n in range(900, 904)]
    calls = _send_all(port, [_request_bytes(port, webhook_body(event)) for event in events])
    _wait_for_answers(fake, {event["replyToken"] for event in events})
    return [call.elapsed for call in calls]


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process's threads so far, to the nanosecond (0 once it is gone).

    From ``/proc/<pid>/task/*/schedstat`` rather than ``stat``, whose 10 ms ticks are too coarse
    for a database backend that works a fraction of a millisecond per statement.
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(task.read_text().split()[0])
        except OSError:
            continue
    return total / 1e9


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


_SOCKET_INODE = re.compile(r"socket:\[(\d+)\]")


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            if found := _SOCKET_INODE.match(os.readlink(fd)):
                inodes.add(found.group(1))
        except OSError:
            continue
    return inodes


def _local_ports_by_inode() -> dict[str, int]:
    ports = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        ports[fields[9]] = int(fields[1].rsplit(":", 1)[1], 16)
    return ports


def _backends_by_client_port() -> dict[int, int]:
    """PostgreSQL backend pid of every connection to the bench database, by client port."""
    engine = create_engine(ADMIN_URL)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT client_port, pid FROM pg_stat_activity"
                " WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": DATABASE},
        ).all()
    engine.dispose()
    return {port: pid for port, pid in rows if port is not None}


def _sessions_ended() -> int:
    """Connections to the bench database closed so far (a pool too small closes and reopens)."""
    engine = create_engine(ADMIN_URL)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_stat_clear_snapshot()"))
        ended = connection.scalar(
            text("SELECT sessions - numbackends FROM pg_stat_database WHERE datname = :name"),
            {"name": DATABASE},
        )
    engine.dispose()
    return int(ended or 0)


def _cpu_snapshot(master: int) -> dict[str, float]:
    """CPU seconds so far of the web workers and of the event processors, each with the
    PostgreSQL backends serving its connections (matched by the connections' client ports)."""
    backends = _backends_by_client_port()
    ports = _local_ports_by_inode()
    cpu = {"workers": 0.0, "workers_db": 0.0, "processors": 0.0, "processors_db": 0.0}
    for child in _children(master):
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        group = "processors" if b"line\x00run" in cmdline else "workers"
        cpu[group] += _cpu_seconds(child)
        for inode in _socket_inodes(child):
            if (backend := backends.get(ports.get(inode, -1))) is not None:
                cpu[f"{group}_db"] += _cpu_seconds(backend)
    return cpu


def _access_log_times(access_log: Path, skip: int) -> list[float]:
    """gunicorn's own time per request (seconds), after the first ``skip`` requests."""
    lines = access_log.read_text().splitlines()[skip:]
    return [int(line.split()[0]) / 1e6 for line in lines]


def _print_times(label: str, times: list[float]) -> None:
    print(
        f"  {label} p50 {_ms(statistics.median(times))}, p95 {_ms(_percentile(times, 95))}, "
        f"p99 {_ms(_percentile(times, 99))}, max {_ms(max(times))}; "
        f"over 2 s: {sum(t > 2 for t in times)}"
    )


def _burst(port: int, fake: FakeLineApi, master: int, access_log: Path) -> None:
    events = _burst_events()
    requests = [_request_bytes(port, webhook_body(event)) for event in events]
    logged = len(access_log.read_text().splitlines())
    before, sessions = _cpu_snapshot(master), _sessions_ended()
    client_cpu = time.thread_time()
    calls = _send_all(port, requests)
    client_cpu = time.thread_time() - client_cpu
    sent_at = {event["replyToken"]: call.sent_at for event, call in zip(events, calls, strict=True)}
    _wait_for_answers(fake, set(sent_at))
    after, sessions = _cpu_snapshot(master), _sessions_ended() - sessions
    replies = [r for r in fake.requests_to(REPLY, status=200) if r.json["replyToken"] in sent_at]
    per_event = Counter(r.json["replyToken"] for r in replies)
    users = {event["source"]["userId"] for event in events}
    pushes = [r for r in fake.requests_to(PUSH) if r.json["to"] in users]
    answers = [r.answered_at - sent_at[r.json["replyToken"]] for r in replies]
    once = sum(1 for token in sent_at if per_event[token] == 1)
    print(f"burst: {len(calls)} webhook calls at once ({RESIDENTS} residents x {MESSAGES_EACH})")
    _print_times("ack (client)", [call.elapsed for call in calls])
    _print_times("ack (gunicorn, %(D)s)", _access_log_times(access_log, logged))
    print(
        f"  answered exactly once: {once} of {len(calls)} "
        f"(answered twice or more: {sum(1 for n in per_event.values() if n > 1)}; "
        f"pushes: {len(pushes)})"
    )
    if answers:
        print(
            f"  webhook to answer: p50 {_ms(statistics.median(answers))}, "
            f"p95 {_ms(_percentile(answers, 95))}, max {_ms(max(answers))}"
        )
    used = {group: (after[group] - before[group]) / len(calls) * 1000 for group in before}
    print(
        f"CPU per ack {used['workers'] + used['workers_db']:.2f} ms (workers "
        f"{used['workers']:.2f} + their PostgreSQL {used['workers_db']:.2f}); per answered event "
        f"{used['processors'] + used['processors_db']:.2f} ms (processors "
        f"{used['processors']:.2f} + their PostgreSQL {used['processors_db']:.2f}); "
        f"load generator {client_cpu / len(calls) * 1000:.2f} ms per call"
    )
    print(f"database connections opened and closed again during the burst: {sessions}")


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
            access_log = Path(instance) / "access.log"
            server = _start_gunicorn(root, env, port, access_log)
            _wait_until_listening(port)
            print(f"gunicorn: {WORKERS} workers, PostgreSQL, LINE answering in {_ms(LINE_LATENCY)}")
            fresh = _fresh_workers(port, fake)
            print(f"fresh workers' first webhook: max {_ms(max(fresh))} ({len(fresh)} at once)")
            _warm_up_burst(port, fake)
            _burst(port, fake, server.pid, access_log)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=120)
        _drop_database()


if __name__ == "__main__":
    main()
