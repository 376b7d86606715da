"""Every Thai string a user can read has its English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.i18n import PROJECT_ROOT, translation_directories


def _extracted_ids() -> dict[str, str]:
    with (PROJECT_ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT),
        method_map,
        options_map,
        keywords={"_": None, "_l": None, "gettext": None, "lazy_gettext": None},
    ):
        if filename.startswith(".venv"):
            continue
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, filename)
    return found


def _translated_ids() -> set[str]:
    translated = set()
    for directory in translation_directories():
        for po in Path(directory).glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as handle:
                translated |= {m.id for m in read_po(handle) if m.id and m.string}
    return translated


def test_every_user_facing_string_has_an_english_translation():
    translated = _translated_ids()
    missing = {msgid: where for msgid, where in _extracted_ids().items() if msgid not in translated}
    assert not missing, f"add English for these to a messages.po: {missing}"
