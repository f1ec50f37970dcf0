"""Text normalisation for matching: one folded form that Spotify and YouTube spellings agree on.

Uploaders write the same name many ways: "Beyoncé"/"Beyonce", "Señorita"/"Senorita", "HUMBLE."/"humble",
curly and straight apostrophes, full-width characters. Folding is NFKC + casefold + accent removal, but
accents are only stripped from Latin, Greek and Cyrillic letters: in Japanese the dakuten is a combining
mark too, and "か" is not "が".

Greek and Cyrillic have simple, table-driven romanisations, so names written "КИНО" on YouTube and "Kino"
on Spotify compare equal without any network call. Chinese characters and kana have no such table
(the reading of kanji needs a dictionary), so they are compared only as written.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_LAST_ACCENTED_SCRIPT = 0x052F  # end of the Cyrillic Supplement block: Latin, Greek, Cyrillic lie below
_SPECIAL_LETTERS = str.maketrans({
    "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d",
    "‘": "'", "’": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-", "×": "x", "$": "s",  # "Ke$ha", "A$AP Rocky", "Ty Dolla $ign"
})

_GREEK_DIGRAPHS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "μπ": "mp", "ντ": "nt", "γκ": "gk"}
_GREEK_LETTERS = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                          ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r",
                           "s", "s", "t", "y", "f", "ch", "ps", "o"]))
_CYRILLIC_LETTERS = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                             ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                              "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
                              "i", "yi", "ye", "g"]))
_GREEK_DIGRAPH = re.compile("|".join(_GREEK_DIGRAPHS))
_ROMANISE = str.maketrans({**_GREEK_LETTERS, **_CYRILLIC_LETTERS})

_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case, width and accent insensitive form that keeps punctuation (brackets and dashes carry meaning)."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and ord(kept[-1]) <= _LAST_ACCENTED_SCRIPT:
            continue
        kept.append(char)
    folded = unicodedata.normalize("NFC", "".join(kept)).translate(_SPECIAL_LETTERS)
    return _SPACES.sub(" ", folded).strip()


@lru_cache(maxsize=4096)
def comparable(text: str) -> str:
    """Words only, romanised where a table allows: the form titles and names are compared in."""
    romanised = _GREEK_DIGRAPH.sub(lambda m: _GREEK_DIGRAPHS[m.group(0)], fold(text)).translate(_ROMANISE)
    return _NON_WORD.sub(" ", romanised).strip()


def squashed(text: str) -> str:
    """No spaces or punctuation at all: "SimonGarfunkelVEVO" and "Simon & Garfunkel" meet here."""
    return comparable(text).replace(" ", "")


def similarity(left: str, right: str) -> float:
    """0..1 likeness of two already comparable strings; word order may differ ("Kygo - Firestone")."""
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return max(fuzz.ratio(left, right), fuzz.token_sort_ratio(left, right)) / 100


@lru_cache(maxsize=4096)
def phrase_pattern(text: str) -> re.Pattern[str] | None:
    """Finds `text` inside a folded string whatever punctuation or spacing sits between its words.

    "don't start now" must be found in "dont start now" and "HUMBLE." in "humble (skrillex remix)".
    """
    words = [w for w in _NON_WORD.split(fold(text)) if w]
    if not words:
        return None
    joined = r"[\W_]*".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![^\W_]){joined}(?![^\W_])")


def remove_phrase(haystack: str, phrase: str) -> tuple[str, bool]:
    """The folded `haystack` with the first occurrence of `phrase` blanked, and whether it was there."""
    pattern = phrase_pattern(phrase)
    if pattern is None:
        return haystack, False
    removed, count = pattern.subn(" ", haystack, count=1)
    return removed, bool(count)
