"""Residents' Thai text as words: one normalisation and one tokenizer for every feature.

The reports' top terms and the duplicate suggestions both read words from here, so a fix to
segmentation or clean-up reaches both.

Segmentation uses PyThaiNLP's ``newmm`` engine (dictionary maximal matching over Thai character
clusters): pure Python, offline, its dictionary and stop words ship inside the package, and it
segments a typical case text (about 80 characters) in about 90 µs on the shared 2-core machine,
six times faster than ``longest``. The neural engines (``attacut``, ``deepcut``) need PyTorch and
are slower still; ``nlpo3`` (Rust) would be faster but adds a compiled dependency for a step that
is not the bottleneck once words are cached per text.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from pythainlp import (
    thai_above_vowels,
    thai_below_vowels,
    thai_follow_vowels,
    thai_lead_vowels,
    thai_tonemarks,
)
from pythainlp.corpus import thai_stopwords, tnc
from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize, thai_digit_to_arabic_digit

ENGINE = "newmm"
# A word must contain a Thai or Latin letter: numbers, house numbers and punctuation are noise.
_WORDLIKE = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e4ea-z]")
# Zero-width characters pasted from chat apps, and ๆ (repeat the previous word): both only split
# words that should stay whole, or stand alone as a "word".
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_REPEAT_MARK = "\u0e46"
# "มากกกกก", "555555": a run of three or more of the same character is emphasis; keep one.
_RUNS = re.compile(r"(.)\1{2,}")
# What PyThaiNLP's ``normalize`` would change: "เเ" for แ, a tone mark typed before its vowel,
# nikhahit + า for ำ, ๅ for า, a vowel or sign typed twice, several tone marks, or a mark with no
# consonant before it. Its two dozen regular expressions are most of the cost of a case's words,
# and most texts have none of these: they are run only on texts that need them.
_SIGNS = "\u0e3a\u0e4c\u0e4d\u0e4e"
_NO_REPEAT = thai_follow_vowels + thai_lead_vowels + thai_above_vowels + thai_below_vowels + _SIGNS
_NEEDS_NORMALIZE = re.compile(
    "\u0e40\u0e40|\u0e4d|\u0e45"
    f"|[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]"
    f"|[{thai_follow_vowels}][{thai_tonemarks}]"
    f"|([{_NO_REPEAT}]) *\\1"
    f"|[{thai_tonemarks}]{{2}}"
    f"|(?:^|\\s)[{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}{_SIGNS}]"
)


def normalise(text: str) -> str:
    """``text`` cleaned for comparison: Thai digits as Arabic, marks in one order, no emphasis.

    Lower-cased, with zero-width characters and ๆ removed and whitespace collapsed.
    """
    text = _INVISIBLE.sub("", text or "")
    if _NEEDS_NORMALIZE.search(text):
        text = normalize(text)
    text = thai_digit_to_arabic_digit(text).replace(_REPEAT_MARK, " ")
    text = _RUNS.sub(r"\1", text)
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def _log_frequencies() -> dict[str, float]:
    """ln(share of the Thai National Corpus) of its 106,000 words of two letters or more."""
    counts = {word: count for word, count in tnc.word_freqs() if len(word) > 1 and count > 0}
    total = math.log(sum(counts.values()))
    return {word: math.log(count) - total for word, count in counts.items()}


@lru_cache(maxsize=16384)
def parts(word: str) -> tuple[str, ...]:
    """The words a compound is made of ("ไฟถนน": "ไฟ", "ถนน"), or () for a word of its own.

    The most likely split under a unigram model of the Thai National Corpus (frequencies ship
    with PyThaiNLP): "อุดตัน", absent from the corpus, is "อุด" + "ตัน", while "สุนัข" and
    "ประปา", frequent words themselves, stay whole.
    """
    logp = _log_frequencies()
    size = len(word)
    # best[end] = (log-probability of the best split of word[:end], where its last piece starts)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(-math.inf, 0)] * size
    for end in range(2, size + 1):
        for start in range(0, end - 1):
            piece = logp.get(word[start:end])
            if piece is not None and best[start][0] + piece > best[end][0]:
                best[end] = (best[start][0] + piece, start)
    if best[size][0] == -math.inf or best[size][1] == 0:
        return ()
    pieces = []
    end = size
    while end > 0:
        start = best[end][1]
        pieces.append(word[start:end])
        end = start
    return tuple(reversed(pieces))


@lru_cache(maxsize=16)
def stopwords(
    add: frozenset[str] = frozenset(), keep: frozenset[str] = frozenset()
) -> frozenset[str]:
    """PyThaiNLP's Thai stop words with ``add`` added and ``keep`` taken out."""
    return (frozenset(thai_stopwords()) - keep) | add


@lru_cache(maxsize=8192)
def words(text: str, stop: frozenset[str]) -> tuple[str, ...]:
    """The meaningful words of ``text`` in order: normalised, segmented, stop words left out.

    Cached per text: the same text is segmented once per process.
    """
    return segment(normalise(text), stop)


def segment(clean: str, stop: frozenset[str]) -> tuple[str, ...]:
    """The words of ``clean`` (already ``normalise``d) in order, leaving out the ``stop`` words.

    Single characters and tokens without a letter (numbers, punctuation) are left out too.
    """
    tokens = word_tokenize(clean, engine=ENGINE, keep_whitespace=False)
    return tuple(
        token
        for token in (t.strip() for t in tokens)
        if len(token) > 1 and token not in stop and _WORDLIKE.search(token)
    )


@lru_cache(maxsize=1024)
def thai_words(text: str) -> tuple[str, ...]:
    """Every word of ``text`` as the segmenter cuts it (spaces dropped, nothing else): for
    cutting a label between words rather than for matching."""
    tokens = word_tokenize(text, engine=ENGINE, keep_whitespace=False)
    return tuple(token for token in (t.strip() for t in tokens) if token)


def search_words(term: str) -> list[str]:
    """The words to look for: the term's space-separated words, Thai ones cut into words.

    Thai is written without spaces, so "ไฟดับ" is not a substring of "ไฟถนนดับ" though it means
    the same: each of its words is looked for on its own. A code (``R70-000123``), a number or
    a Latin word is kept whole; a Thai word whose words are all stop words or single letters is
    kept whole too, so nothing typed is ignored.
    """
    found: list[str] = []
    for word in term.split():
        if not _THAI.search(word):
            found.append(word)
            continue
        found.extend(segment(normalise(word), stopwords()) or [word])
    return list(dict.fromkeys(found))  # each once, in the order typed
