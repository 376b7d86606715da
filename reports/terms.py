"""The most frequent themes in residents' text, by Thai word segmentation (PyThaiNLP).

The default ``newmm`` tokenizer and the stop-word list ship inside the pythainlp package, so this
works offline. Segmentation cannot happen in SQL: the database hands over at most ``limit`` texts
of the period (the latest ones), so a period of 170,000 cases costs the same as one of 2,000.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from pythainlp.corpus import thai_stopwords
from pythainlp.tokenize import word_tokenize

# Words of addresses and forms that appear in nearly every case and say nothing about its theme.
REPORT_STOPWORDS = frozenset(
    {"หมู่", "หมู่ที่", "เลขที่", "ตำบล", "อำเภอ", "จังหวัด", "ม.", "ต.", "อ.", "ขอให้", "บ้าน"}
)
# Words of time, place and request that residents write in any case whatever it is about.
GENERIC_WORDS = frozenset(
    {
        "หน้า", "สัปดาห์", "อาทิตย์", "วัน", "วันนี้", "เมื่อวาน", "เดือน", "ปี", "ครั้ง", "ช่วง",
        "เวลา", "ตอน", "กลางคืน", "กลางวัน", "เช้า", "เย็น", "ทุก", "หลาย", "จุด", "บริเวณ",
        "แถว", "ซอย", "เรื่อง", "แจ้ง", "ร้องเรียน", "ช่วย", "ขอ", "ด่วน", "ดำเนินการ",
        "แก้ไข", "ครับ", "ค่ะ", "คะ", "นะ", "หน่อย", "แล้ว", "ยัง", "มาก", "อบต", "อบต.",
        "องค์การบริหารส่วนตำบล", "เทศบาล", "ประชาชน", "ชาวบ้าน",
    }
)  # fmt: skip
# A term must contain a Thai or Latin letter: numbers, house numbers and punctuation are noise.
_WORDLIKE = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e4ea-zA-Z]")


@dataclass(frozen=True)
class Term:
    """A word and how many times it was used."""

    word: str
    count: int


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(thai_stopwords()) | REPORT_STOPWORDS | GENERIC_WORDS


@lru_cache(maxsize=16)
def name_parts(org_name: str) -> frozenset[str]:
    """The words of the body's own name (อบต.จอหอ: องค์การ, บริหาร, ส่วน, ตำบล, จอหอ ...).

    Residents write the body's name in many cases; it says nothing about what they are about.
    """
    return frozenset(_tokens(org_name)) | frozenset(_tokens(org_name.replace("ตำบล", " ")))


def _tokens(text: str) -> list[str]:
    return [t.strip().lower() for t in word_tokenize(text, engine="newmm", keep_whitespace=False)]


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    stop = _stopwords()
    tokens = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return tuple(
        token.lower()
        for token in (t.strip() for t in tokens)
        if len(token) > 1 and token not in stop and _WORDLIKE.search(token)
    )


def top_terms(texts: list[str], size: int = 15, org_name: str = "") -> list[Term]:
    """The ``size`` most frequent meaningful words of ``texts`` (ties: alphabetical order),
    leaving out the words of ``org_name``, the body's own name."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_words(text))
    for word in name_parts(org_name):
        counts.pop(word, None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Term(word, count) for word, count in ranked[:size]]
