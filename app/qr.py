"""QR codes drawn on the server (``segno``, pure Python): nothing is loaded from another site.

Used where a person should be able to point a phone at a page or a printed slip: the LINE
Official Account on the home page, the status link on an officer's receipt slip.
"""

from __future__ import annotations

import segno


def qr_svg(data: str, scale: int = 4) -> str:
    """``data`` as a QR code in an SVG ``data:`` URI, for an ``<img src>``.

    Error correction M survives a crease or a smudge on a printed slip; the quiet zone of four
    modules is what phone cameras need to find the code.
    """
    return str(segno.make(data, error="m", micro=False).svg_data_uri(scale=scale, border=4))
