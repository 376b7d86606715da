"""Browser fixtures: the test's app served on 127.0.0.1 and a headless Chromium page.

The server runs in one thread on the test's own database transaction, so browser tests are
isolated like the others and leave nothing behind on SQLite or PostgreSQL.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test."""
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # When a test ends while the browser still loads a photo, the development server
            # sees the connection drop and leaves the file it was streaming to the garbage
            # collector: a harness artefact (gunicorn closes it), not the product's.
            item.add_marker(pytest.mark.filterwarnings("ignore:unclosed file:ResourceWarning"))


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve ``app`` in a background thread; yield its base URL (also its PUBLIC_BASE_URL, from
    which the links residents are given are built)."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for the session, driven by Playwright."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait for the page as long as actions do: a slow CI machine is not a failure.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh phone-sized page (360 px wide); a screenshot is kept if the test fails."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 360, "height": 740}, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    yield new_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        new_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the item so ``page`` knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
