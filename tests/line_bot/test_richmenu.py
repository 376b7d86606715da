"""``flask line setup-richmenu`` creates the menu through LINE's API and makes it the default."""

from __future__ import annotations

import io

from PIL import Image

from line_bot.richmenu import HEIGHT, WIDTH, render_image


def test_setup_richmenu_creates_uploads_and_sets_the_default_menu(line_app, line_api):
    result = line_app.test_cli_runner().invoke(args=["line", "setup-richmenu"])
    assert result.exit_code == 0, result.output
    menu = line_api.default_rich_menu
    assert menu is not None and menu["size"] == {"width": WIDTH, "height": HEIGHT}
    assert [area["action"]["data"] for area in menu["areas"]] == [
        "action=file",
        "action=mycases",
        "action=integrity",
    ]
    assert sum(area["bounds"]["width"] for area in menu["areas"]) == WIDTH
    with Image.open(io.BytesIO(menu["image"])) as image:
        assert image.size == (WIDTH, HEIGHT)
    upload = line_api.requests_to(f"/v2/bot/richmenu/{result.output.split()[2]}/content")[0]
    assert upload.headers["content-type"] == "image/png"


def test_a_freshly_drawn_menu_image_has_lines_size(line_app):
    with Image.open(io.BytesIO(render_image())) as image:
        assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))


def test_setup_richmenu_says_when_line_is_not_configured(runner):
    result = runner.invoke(args=["line", "setup-richmenu"])
    assert result.exit_code != 0
    assert "LINE is not configured" in result.output
