"""The most frequent themes in residents' text, by Thai word segmentation (PyThaiNLP).

Words come from ``cases.thai_text`` (PyThaiNLP's ``newmm``, offline), the one tokenizer that the
duplicate suggestions use too. Segmentation cannot happen in SQL: the database hands over at most
``limit`` texts of the period (the latest ones), so a period of 170,000 cases costs the same as
one of 2,000.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cases.thai_text import stopwords, words

# Words of addresses and forms that appear in nearly every case and say nothing about its theme.
REPORT_STOPWORDS = frozenset(
    {"หมู่", "หมู่ที่", "เลขที่", "ตำบล", "อำเภอ", "จังหวัด", "ม.", "ต.", "อ.", "ขอให้", "บ้าน"}
)


@dataclass(frozen=True)
class Term:
    """A word and how many times it was used."""

    word: str
    count: int


def top_terms(texts: list[str], size: int = 15) -> list[Term]:
    """The ``size`` most frequent meaningful words of ``texts`` (ties: alphabetical order)."""
    counts: Counter[str] = Counter()
    stop = stopwords(add=REPORT_STOPWORDS)
    for text in texts:
        counts.update(words(text, stop))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Term(word, count) for word, count in ranked[:size]]
