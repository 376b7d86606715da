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
# A term must contain a Thai or Latin letter: numbers, house numbers and punctuation are noise.
_WORDLIKE = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e4ea-zA-Z]")


@dataclass(frozen=True)
class Term:
    """A word and how many times it was used."""

    word: str
    count: int


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(thai_stopwords()) | REPORT_STOPWORDS


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    stop = _stopwords()
    tokens = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return tuple(
        token.lower()
        for token in (t.strip() for t in tokens)
        if len(token) > 1 and token not in stop and _WORDLIKE.search(token)
    )


def top_terms(texts: list[str], size: int = 15) -> list[Term]:
    """The ``size`` most frequent meaningful words of ``texts`` (ties: alphabetical order)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_words(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Term(word, count) for word, count in ranked[:size]]
