"""Refusing PDFs that can do something by themselves when opened.

Officers open residents' PDFs on office computers, so a PDF that runs JavaScript, launches a
program, carries embedded files, Flash-style rich media or an XFA form is refused. Two lines of
defence:

1. pypdf walks every object reachable from the trailer, including those packed in compressed
   object streams, looking for the names below (names are compared decoded, so ``/J#61vaScript``
   is ``/JavaScript``).
2. The raw bytes outside stream bodies and text strings are scanned for the same names, for
   objects the walk did not reach (unlinked, or hidden by a broken cross-reference table that a
   viewer repairs differently). Stream bodies are skipped as compressed data would match by
   chance, and strings as a title may mention "/JavaScript".

A PDF that pypdf cannot read is refused as damaged, never passed through unchecked.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

logger = logging.getLogger(__name__)

# Dictionary keys that hold a script, an action run on an event, or something embedded.
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/Launch", "/EF", "/EmbeddedFile", "/EmbeddedFiles"}
    | {"/RichMedia", "/XFA"}
)
# Name values that mark the same things (``/S /JavaScript``, ``/Subtype /RichMedia``, ...).
ACTIVE_VALUES = frozenset({"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia"})
ACTIVE_NAMES = ACTIVE_KEYS | ACTIVE_VALUES
# A bound on the walk: far more objects than a 10 MB scan of letters has.
MAX_OBJECTS = 500_000

_STREAM_BODY = re.compile(rb">>\s*stream\r?\n.*?endstream", re.DOTALL)
_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# A literal string holding no unescaped parenthesis: removed again and again for nested ones.
# Possessive quantifiers: no backtracking, so an unclosed string costs one pass.
_INNERMOST_STRING = re.compile(rb"\((?:[^()\\]++|\\.)*+\)", re.DOTALL)
STRING_NESTING = 8


class PdfRefused(Exception):
    """The PDF cannot be accepted; ``reason`` is ``pdf_active``, ``pdf_locked`` or ``damaged``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _raw_names(data: bytes) -> set[str]:
    """Every name written in ``data`` outside streams and strings, ``#xx`` escapes decoded."""
    text = _STREAM_BODY.sub(b" ", data)
    for _ in range(STRING_NESTING):  # deeper nesting stays in, at worst refusing a file
        text, removed = _INNERMOST_STRING.subn(b" ", text)
        if not removed:
            break
    names = set()
    for match in _NAME.finditer(text):
        raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        names.add("/" + raw.decode("latin-1"))
    return names


def _has_active_object(start: PdfObject) -> bool:
    """Whether anything reachable from ``start`` is one of the active names."""
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject | None] = [start]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise PdfRefused("damaged")
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            if ACTIVE_KEYS.intersection(item.keys()):
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, NameObject) and item in ACTIVE_VALUES:
            return True
    return False


def _open(data: bytes) -> PdfReader:
    """A reader of ``data``, decrypted when it opens without a password."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    # Dictionaries are readable when encrypted, but object streams are not: an unopenable
    # file could hide a script in one.
    if reader.is_encrypted and not reader.decrypt(""):
        raise PdfRefused("pdf_locked")
    return reader


def check_pdf(data: bytes) -> None:
    """Raise ``PdfRefused`` unless ``data`` is a PDF without scripts, actions or embedded files."""
    if ACTIVE_NAMES.intersection(_raw_names(data)):
        raise PdfRefused("pdf_active")
    try:
        reader = _open(data)
        active = _has_active_object(reader.trailer)
    except PdfRefused:
        raise
    except Exception as exc:  # pypdf raises many kinds on broken files; none may become a 500
        logger.info("PDF refused as unreadable: %s", type(exc).__name__)
        raise PdfRefused("damaged") from exc
    if active:
        raise PdfRefused("pdf_active")
