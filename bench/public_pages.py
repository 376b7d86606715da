"""Page weights of the public list and map with the demo data (prints figures, asserts nothing).

    .venv/bin/python bench/public_pages.py

A fresh SQLite database in /tmp is migrated and given the demo (``flask seed --demo``, which
publishes a handful of cases with photos). Each page is fetched through the app with what it
loads from the app: the HTML, its style sheets, scripts and images. Map tiles come from the tile
server and are not counted. Sizes are as stored and gzip-compressed (what a proxy with gzip on
sends); photos are JPEG and do not shrink further.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where sibling scripts would shadow the
# project's packages (bench/notifications.py vs notifications/): import the project instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import gzip  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
from collections import Counter  # noqa: E402

from flask.testing import FlaskClient  # noqa: E402

from app import migrate  # noqa: E402
from app.config import Config  # noqa: E402
from rongrian import create_app  # noqa: E402

PAGES = (("list", "/public/cases"), ("map", "/public/map"))
# What a page loads from the app: style sheets, scripts and images (not links to other pages).
LOADED = re.compile(r'<(?:link rel="stylesheet" href|script src|img src)="([^"]+)"')
KINDS = {".css": "CSS", ".js": "JS"}


def _kind(url: str) -> str:
    return next((kind for ext, kind in KINDS.items() if url.split("?")[0].endswith(ext)), "images")


def page_weight(client: FlaskClient, url: str) -> tuple[Counter[str], Counter[str], int]:
    """Bytes per kind (HTML, CSS, JS, images) as stored and gzipped, and the number of requests."""
    raw: Counter[str] = Counter()
    packed: Counter[str] = Counter()
    html = client.get(url).get_data()
    raw["HTML"], packed["HTML"] = len(html), len(gzip.compress(html))
    assets = sorted(set(LOADED.findall(html.decode())))
    for asset in assets:
        with client.get(asset.replace("&amp;", "&")) as response:
            body = response.get_data()
        kind = _kind(asset)
        raw[kind] += len(body)
        packed[kind] += len(body) if kind == "images" else len(gzip.compress(body))
    return raw, packed, 1 + len(assets)


def main() -> None:
    """Seed the demo and print the weight of each public page."""
    workdir = Path(tempfile.mkdtemp())
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    migrate.upgrade(url)
    config = Config(
        DATABASE_URL=url,
        SECRET_KEY="bench-secret",
        TESTING=True,
        UPLOAD_DIR=str(workdir / "uploads"),
    )
    config.extra["PASSWORD_HASH_FAST"] = True
    app = create_app(config)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed", "--demo"])
        print(result.output.strip())
        client = app.test_client()
        columns = ("HTML", "CSS", "JS", "images")
        print("\npage  requests        " + " ".join(f"{c:>8s}" for c in columns) + "     total")
        for name, page in PAGES:
            raw, packed, requests = page_weight(client, page)
            for label, sizes in (
                (f"{name:5s} {requests:8d} stored", raw),
                (" " * 15 + "gzip", packed),
            ):
                cells = " ".join(f"{sizes[c] / 1024:7.1f}K" for c in columns)
                print(f"{label:20s} {cells} {sum(sizes.values()) / 1024:8.1f}K")
        print("\nmap tiles (from the tile server) are not counted")


if __name__ == "__main__":
    main()
