"""Thai words: what a person types, cut into the words the text is searched for.

Thai is written without spaces between words, so "ไฟดับ" (lights out) does not appear in
"ไฟถนนดับ" (the street lights are out) as a substring, though it means the same. PyThaiNLP's
``newmm`` segmenter (its dictionary ships inside the package, offline) cuts the search term into
words, "ไฟ" and "ดับ", and each word is then looked for on its own. Common function words (ที่,
และ, ไม่...) are dropped: a case says "น้ำท่วมซอย 3" as often as "น้ำท่วมที่ซอย 3".
"""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.corpus import thai_stopwords
from pythainlp.tokenize import word_tokenize

_THAI = re.compile(r"[\u0e00-\u0e7f]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(thai_stopwords())


@lru_cache(maxsize=1024)
def thai_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` by PyThaiNLP's ``newmm`` segmenter, without spaces."""
    tokens = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return tuple(token for token in (t.strip() for t in tokens) if token)


def search_words(term: str) -> list[str]:
    """The words to look for: the term's space-separated words, Thai ones cut into words.

    A code (``R70-000123``), a number or a Latin word is kept whole. A Thai word whose words are
    all function words or single letters is kept whole too, so nothing typed is ignored.
    """
    words: list[str] = []
    for word in term.split():
        if not _THAI.search(word):
            words.append(word)
            continue
        kept = [w for w in thai_words(word) if len(w) > 1 and w not in _stopwords()]
        words.extend(kept or [word])
    return list(dict.fromkeys(words))  # each once, in the order typed
