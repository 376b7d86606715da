"""The rich menu: three big buttons under the chat (file a case, my cases, corruption channel).

``flask line setup-richmenu`` creates it through the Messaging API, uploads its image and makes
it the default for every user. The image ships in ``line_bot/static/richmenu.png``; it was drawn
by ``render_image`` (Pillow, with a Thai font from the TLWG fonts when installed) and can be
redrawn with ``--generate`` or replaced by the organization's own artwork with ``--image``.
"""

from __future__ import annotations

import io
from pathlib import Path

from linebot.v3.messaging import (
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw, ImageFont

from line_bot import messages as m

WIDTH, HEIGHT = 2500, 843
SHIPPED_IMAGE = Path(__file__).parent / "static" / "richmenu.png"
THAI_FONTS = (
    "/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf",
    "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf",
    "/usr/share/fonts/truetype/tlwg/Garuda.ttf",
)
BUTTONS = ((m.L_FILE, m.FILE), (m.L_MY_CASES, m.MY_CASES), (m.L_INTEGRITY, m.INTEGRITY))
COLOURS = ("#0b6e4f", "#1d4e89", "#8a1c1c")


def _columns() -> list[tuple[int, int]]:
    """(x, width) of each button; the last one takes the rounding remainder."""
    width = WIDTH // len(BUTTONS)
    return [(i * width, WIDTH - i * width if i == len(BUTTONS) - 1 else width) for i in range(3)]


def menu_request() -> RichMenuRequest:
    """The rich menu definition: one postback area per button."""
    areas = [
        RichMenuArea(
            bounds=RichMenuBounds(x=x, y=0, width=width, height=HEIGHT),
            action=PostbackAction(
                label=str(label), data=m.postback_data(action), displayText=str(label)
            ),
        )
        for (x, width), (label, action) in zip(_columns(), BUTTONS, strict=True)
    ]
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name="rongrian-main",
        chatBarText=str(m.L_MENU),
        areas=areas,
    )


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in THAI_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def render_image() -> bytes:
    """Draw the menu image (PNG, 2500 x 843): a coloured panel with a Thai label per button."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = _font(120)
    for (x, width), (label, _action), colour in zip(_columns(), BUTTONS, COLOURS, strict=True):
        draw.rounded_rectangle((x + 20, 20, x + width - 20, HEIGHT - 20), radius=60, fill=colour)
        draw.text((x + width / 2, HEIGHT / 2), str(label), font=font, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def menu_image(path: Path | None = None, generate: bool = False) -> bytes:
    """The image to upload: ``path``, a freshly drawn one, or the shipped one."""
    if generate:
        return render_image()
    return (path or SHIPPED_IMAGE).read_bytes()
