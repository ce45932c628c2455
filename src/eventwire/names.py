"""Names as people write them: spelling keys and a one-typo index (issue 11 part 3).

A name is looked up in three steps, each on keys computed once when the dictionary is loaded:

1. ``fold``: case, diacritics, apostrophes and hyphens folded ("Erdoğan" = "Erdogan",
   "Al-Sudani" = "al Sudani") -> the match is *normalised*;
2. :meth:`Spelling.key`: the transliteration rules of ``data/names/spelling.yaml`` on top
   ("Qasym-Jomart Toqaev" = "Kassym-Jomart Tokayev", "Muhammad" = "Mohammed") -> *transliteration*;
3. :class:`TypoIndex`: one edit (a letter dropped, added, changed, or two neighbours swapped) in a
   word of ``typo_min_letters`` letters or more, found through a deletion-neighbourhood index of the
   spelling keys (no scan of the dictionary), kept only when exactly one key is that close -> *typo*.

The callers (the actor coder, the geoparser) decide which text spans may be looked up: capitalised
names only, and for a typo never an English word (:func:`english_words`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .resources import Resources, default_resources

if TYPE_CHECKING:
    from spacy.language import Language

SPELLING_FILE = "names/spelling.yaml"
_APOS = re.compile(r"[\u2019\u2018'`\u00b4\u02bc\u02bb\u02be\u02bf]")
_SEP = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Lower case without diacritics, apostrophes dropped, every other non-alphanumeric run a space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("ß", "ss").replace("ø", "o").replace("đ", "d").replace("ł", "l").replace("ı", "i")
    return _SEP.sub(" ", _APOS.sub("", text)).strip()


@dataclass
class Spelling:
    """The transliteration rules of ``names/spelling.yaml``."""

    articles: frozenset[str] = frozenset()
    words: dict[str, str] = field(default_factory=dict)
    endings: list[tuple[str, str]] = field(default_factory=list)  # (variant, canonical), longest first
    letters: list[tuple[str, str]] = field(default_factory=list)
    typo_min_letters: int = 6
    _by_length: list[tuple[int, dict[str, str]]] = field(default_factory=list, repr=False)
    _memo: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, data: dict) -> Spelling:
        endings = sorted(((v, line[0]) for line in data.get("endings", []) for v in line[1:]),
                         key=lambda p: -len(p[0]))
        out = cls(articles=frozenset(data.get("articles", [])), endings=endings,
                  letters=[(a, b) for a, b in data.get("letters", [])],
                  typo_min_letters=int(data.get("typo_min_letters", 6)))
        # word variants are compared after the letter rules ("Volodimir" and "Volodymyr" both read
        # "volodimir", which the words table reads as "vladimir")
        out.words = {out._letters(w): out._letters(line[0]) for line in data.get("words", []) for w in line}
        return out

    def _letters(self, w: str) -> str:
        if not self._by_length:
            tables: dict[int, dict[str, str]] = {}
            for variant, canon in self.endings:
                tables.setdefault(len(variant), {})[variant] = canon
            self._by_length = sorted(tables.items(), reverse=True)
        for size, table in self._by_length:
            if len(w) - size >= 3 and w[-size:] in table:
                w = w[:-size] + table[w[-size:]]
                break
        for a, b in self.letters:
            if a in w:
                w = w.replace(a, b)
        return _DOUBLE.sub(r"\1", w)

    def word(self, w: str) -> str:
        """The spelling key of one folded word (memoised: names repeat)."""
        hit = self._memo.get(w)
        if hit is None:
            hit = self._letters(w)
            hit = self.words.get(hit, hit)
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[w] = hit
        return hit

    def key(self, text: str) -> str:
        """The spelling key of a name: its folded words without article words, each rewritten."""
        words = fold(text).split()
        if len(words) > 1:
            words = [w for w in words if w not in self.articles] or words
        return " ".join(self.word(w) for w in words)


@lru_cache(maxsize=4)
def _spelling(resources: Resources) -> Spelling:
    return Spelling.from_data(resources.yaml(SPELLING_FILE))


def load_spelling(resources: Resources | None = None) -> Spelling:
    """The spelling rules of ``resources`` (default: the bundled data), read once per process."""
    return _spelling(resources or default_resources())


def english_words(nlp: Language) -> frozenset[str]:
    """Lower-case English words known to the spaCy model's lemmatizer tables (nouns, verbs,
    adjectives and adverbs): a word among them is never read as a misspelt name."""
    return _english_words(nlp)


_ENGLISH: dict[int, frozenset[str]] = {}


def _english_words(nlp: Language) -> frozenset[str]:
    cached = _ENGLISH.get(id(nlp))
    if cached is not None:
        return cached
    words: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            for pos_words in lookups.get_table("lemma_index").values():
                words.update(w for w in pos_words if w.isalpha())
    _ENGLISH[id(nlp)] = out = frozenset(words)
    return out


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


def within_one(a: str, b: str) -> bool:
    """Whether two strings are at most one edit apart (an insertion, deletion, substitution or a
    swap of neighbours)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


class TypoIndex:
    """Keys findable with one typo: each key and its one-letter deletions point to the key."""

    def __init__(self, min_letters: int = 6) -> None:
        self.min_letters = min_letters
        self._index: dict[str, set[str]] = {}

    def add(self, key: str) -> None:
        if len(key.replace(" ", "")) < self.min_letters:
            return
        for k in (key, *_deletions(key)):
            self._index.setdefault(k, set()).add(key)

    def find(self, query: str) -> str | None:
        """The one key within one edit of ``query`` where the word that differs has at least
        ``min_letters`` letters; None when none or several are that close."""
        if len(query.replace(" ", "")) < self.min_letters:
            return None
        found: set[str] = set(self._index.get(query, ()))
        for d in _deletions(query):
            found |= self._index.get(d, set())
        found = {k for k in found if k != query and within_one(k, query) and self._word_ok(query, k)}
        return next(iter(found)) if len(found) == 1 else None

    def _word_ok(self, query: str, key: str) -> bool:
        qw, kw = query.split(" "), key.split(" ")
        if len(qw) != len(kw):
            return False  # a space added or dropped is no typo of a word
        return all(a == b or len(a) >= self.min_letters and len(b) >= self.min_letters for a, b in zip(qw, kw, strict=True))

