"""Stage 1b, case restoration: give case-damaged text its usual capitals before spaCy parses it.

News written all in capitals (wire copy, headlines, datelines) or all in lower case (some feeds,
transcripts, social media) defeats the small English model: it finds few entities, and the actor
coder few actors. :class:`CaseRestorer` finds the damaged lines of a cleaned text (a line with no
lower-case letter, a line with no capital, or a whole text whose only capitals begin sentences)
and rewrites only them, from knowledge read through :class:`~eventwire.resources.Resources`:

- names and aliases of the actor dictionaries, place names and demonyms of the gazetteer (and
  GeoNames cities of ``city_min_population`` people), months and weekdays of
  ``dates/calendar.yaml``, the words of ``clean/casing.yaml``: matched longest first on
  lower-cased, accent-folded word keys (one dictionary look-up per word, built once);
- a word that the model's English word list (its lemmatizer tables), the dictionaries and the
  patterns do not know is most likely a name and gets a capital (``title_unknown``);
- a title before a restored name ("president" -> "President Putin"), sentence starts.

Only the case of a letter ever changes, never a letter, and a letter whose other case is not one
character ("ß", "İ") is left as it is: the restored text has the original's length and every
character offset into it is an offset into the original. Lines in normal case are never touched,
and a text without a damaged line costs two string comparisons per line.

Example:
    >>> r = CaseRestorer()
    >>> r.restore("PROTESTERS CLASHED WITH POLICE IN DAMASCUS.").text
    'Protesters clashed with police in Damascus.'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .resources import Resources, default_resources

CASING_FILE = "clean/casing.yaml"
CALENDAR_FILE = "dates/calendar.yaml"
PATTERNS_FILE = "patterns/events.yaml"
PLACE_FILES = ("gazetteer/countries.tsv", "gazetteer/admin1.tsv", "gazetteer/admin2.tsv", "gazetteer/regions.tsv",
               "gazetteer/water.tsv", "gazetteer/facilities.tsv", "gazetteer/towns.tsv", "gazetteer/overrides.tsv")

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_NAME_GAP = re.compile(r"[ \-.']{0,3}")  # what may stand between two words of one name
_SENTENCE_GAP = re.compile(r"""[.!?]+["')\]]*\s+["'(\[]*$""")
_UPPER_WORD = re.compile(r"[^\W\d_]{2,}")
_CAPITALISED = re.compile(r"\b[^\W\d_]*[A-Z][^\W_]*")
_LINE_END = re.compile(r"""[.!?:;"')\]]\s*$""")
_SENTENCE_BEFORE = re.compile(r"""[.!?:\n]["')\]]*\s*["'(\[]*$""")


@lru_cache(maxsize=4096)
def _fold(c: str) -> str:
    """One character's key: lower case (when that is one character) without its accents."""
    low = c.lower()
    if len(low) != 1:
        low = c
    base = unicodedata.normalize("NFD", low)
    if len(base) > 1 and all(unicodedata.combining(x) for x in base[1:]):
        return base[0]
    return low


def key_of(word: str) -> str:
    """The look-up key of a word: folded character by character (same length as the word)."""
    return "".join(_fold(c) for c in word)


def _lower(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 else c


def _upper(c: str) -> str:
    up = c.upper()
    return up if len(up) == 1 else c


def _strip_possessive(key: str) -> str:
    if key.endswith("'s") and len(key) > 2:
        return key[:-2]
    return key


@dataclass
class CaseReport:
    """What restoration did to one text: damaged lines by kind and words given capitals."""

    lines: dict[str, int] = field(default_factory=dict)  # "upper" / "lower" / "dateline" -> lines
    capitalised: int = 0
    total_lines: int = 0

    def describe(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.lines.items()))
        return (f"case restored before parsing: {sum(self.lines.values())} of {self.total_lines} line(s) "
                f"were case-damaged ({kinds}); {self.capitalised} word(s) given capitals; offsets are the "
                "original text's")


@dataclass
class Restored:
    text: str
    report: CaseReport | None = None  # None: nothing was damaged, the text is the original


class CaseRestorer:
    """Detect case-damaged lines and restore their case, length-preserving (see the module doc).

    resources (Resources | None): the knowledge files (default: the bundled data).
    surfaces (Iterable[tuple[str, str, bool]] | None): actor-dictionary surface forms with their
        entry's kind and a flag "is a title" (from the actor coder's loaded dictionary); by default
        the dictionaries are loaded on first need.
    nlp (Language | None): the spaCy pipeline whose lemmatizer tables are the English word list that
        tells words from names (:func:`model_vocabulary`); default: the default model.
    gazetteer (Gazetteer | None): the place index whose city names are read (default: the bundled one).
    The look-up tables are built on the first damaged text, never for normal text.
    """

    def __init__(self, resources: Resources | None = None, surfaces: Iterable[tuple[str, str, bool]] | None = None,
                 nlp: Any = None, gazetteer: Any = None) -> None:
        self.resources = resources or default_resources()
        self._gazetteer = gazetteer
        cfg = self.resources.yaml(CASING_FILE)
        det = cfg["detect"]
        self._min_lower = int(det["min_lower_letters"])
        self._min_upper_words = int(det["min_upper_words"])
        self._sentence_case_words = int(det["sentence_case_min_words"])
        self._wrap_width = int(det["wrapped_line_min_chars"])
        self._surfaces = surfaces
        self._nlp = nlp
        self._built = False
        self._single: dict[str, str] = {}
        self._multi: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        self._titles: dict[str, list[tuple[str, ...]]] = {}
        self._ambiguous_months: frozenset[str] = frozenset()
        self._abbreviations: frozenset[str] = frozenset()
        self._known: set[str] = set()
        self._index: dict[str, frozenset[str]] = {}
        self._exc: dict[str, dict[str, Any]] = {}
        self._rules: dict[str, list[list[str]]] = {}
        self._names: dict[str, bool] = {}  # word key -> is it a name (memo of _is_name)
        self._before_agents: dict[str, str] = {}
        self._agent_words: frozenset[str] = frozenset()

    # ------------------------------------------------------------------ detection

    def damaged(self, text: str, mode: str = "auto") -> list[tuple[int, int, str]]:
        """(start, end, kind) of every damaged line; kind is "upper", "lower" or "dateline" (a leading
        run of capitals before a dateline mark in a normal line). ``mode`` "always" treats every
        line with letters as damaged; "off" finds none."""
        if mode == "off":
            return []
        out: list[tuple[int, int, str]] = []
        pos = 0
        wrapped = False  # the line before is a normal line that ends mid-sentence (hard-wrapped text)
        for line in text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            has_upper = line != line.lower()
            has_lower = line != line.upper()
            continues, wrapped = wrapped, has_upper and has_lower and not _LINE_END.search(line)
            if not has_upper and not has_lower:
                continue
            if not has_lower:
                if mode == "always" or len(_UPPER_WORD.findall(line)) >= self._min_upper_words:
                    out.append((start, end, "upper"))
            elif not has_upper:
                if mode == "always" or not continues and sum(c.isalpha() for c in line) >= self._min_lower:
                    out.append((start, end, "lower"))
                wrapped = continues and not _LINE_END.search(line)
            elif mode == "always":
                out.append((start, end, "lower"))
            else:
                run = self._dateline(line)
                if run:
                    out.append((start, start + run, "dateline"))
        if mode == "auto" and self._sentence_case(text, out):
            taken = {s for s, _, k in out if k != "dateline"}
            out = [d for d in out if d[2] != "dateline"] + [
                (s, e, "lower") for s, e in _lines(text) if e > s and s not in taken]
            out.sort()
        return out

    @staticmethod
    def _dateline(line: str) -> int:
        """Length of a leading run of words in capitals that ends in a dateline mark ("MOSCOW, Nov 22
        (Reuters) -", "KYIV (AP) -"); 0 when the line does not start so."""
        end = 0
        for m in _WORD.finditer(line):
            word = m.group()
            if word != word.upper() or not any(c.isalpha() for c in word):
                break
            if line[end:m.start()].strip() not in ("", "-"):
                break
            end = m.end()
        if not end:
            return 0
        rest = line[end:].lstrip()
        return end if rest[:1] in (",", "(", "-", ":", "\u2013", "\u2014") and len(line[:end].strip()) >= 4 else 0

    def _sentence_case(self, text: str, skip: list[tuple[int, int, str]]) -> bool:
        """A text of many words whose only capitals begin sentences or lines (or are "I"), not
        counting the lines in ``skip``."""
        for m in _CAPITALISED.finditer(text):
            word, s = m.group(), m.start()
            if word == "I" or word.startswith("I'") or any(a <= s < b for a, b, _ in skip):
                continue
            before = text[max(0, s - 8):s]
            if not (_SENTENCE_BEFORE.search(before) or s <= 8 and not before.strip(" \"'([")):
                return False
        return len(text.split()) >= self._sentence_case_words

    # ------------------------------------------------------------------ restoration

    def restore(self, text: str, mode: str = "auto") -> Restored:
        """The text with its damaged lines restored (same length), and what was done (None: nothing)."""
        spans = self.damaged(text, mode)
        if not spans:
            return Restored(text)
        self._build()
        chars = list(text)
        report = CaseReport(total_lines=text.count("\n") + 1)
        for start, end, kind in spans:
            report.lines[kind] = report.lines.get(kind, 0) + 1
            report.capitalised += self._restore_span(chars, start, end, kind)
        restored = "".join(chars)
        assert len(restored) == len(text)
        return Restored(restored, report)

    def _restore_span(self, chars: list[str], start: int, end: int, kind: str) -> int:
        original = chars[start:end]
        if kind in ("upper", "dateline"):
            for i in range(start, end):
                chars[i] = _lower(chars[i])
        segment = "".join(chars[start:end])
        toks = [(m.start() + start, m.end() + start) for m in _WORD.finditer(segment)]
        keys = [_strip_possessive(key_of(segment[s - start:e - start])) for s, e in toks]
        n = len(toks)
        names: list[int] = []  # tokens that begin a restored name
        i = 0
        while i < n:
            size = self._match_multi(chars, toks, keys, i)
            if size:
                names.append(i)
                i += size
                continue
            key = keys[i]
            form = self._single.get(key)
            if form is None and key in self._ambiguous_months and self._by_number(chars, toks, i):
                form = key[:1].upper() + key[1:]
            if form is None and key in self._before_agents and i + 1 < n and keys[i + 1] in self._agent_words:
                form = self._before_agents[key]  # "us troops" -> "US troops", but "told us"
            keep = form is None and (kind == "dateline" or kind == "upper" and self._acronym_in_brackets(
                original, toks[i], start))
            if form is None and not keep and kind != "dateline" and self._is_name(key):
                form = key[:1].upper() + key[1:]
            if form is not None:
                self._apply(chars, toks[i], form)
                names.append(i)
            elif keep:  # an unknown word of a dateline or a bracketed acronym keeps its capitals
                s, e = toks[i]
                chars[s:e] = original[s - start:e - start]
            i += 1
        self._titles_before(chars, toks, keys, names)
        if kind != "dateline":
            self._sentence_starts(chars, toks, keys, start, not self._continues(chars, start))
        return len(names)

    def _continues(self, chars: list[str], start: int) -> bool:
        """The line at ``start`` continues a hard-wrapped sentence: the line before is a long line
        (not a headline) that ends without a sentence mark."""
        if start == 0:
            return False
        before = "".join(chars[max(0, start - 400):start - 1])
        prev = before.rsplit("\n", 1)[-1]
        return len(prev) >= self._wrap_width and not _LINE_END.search(prev)

    def _match_multi(self, chars: list[str], toks: list[tuple[int, int]], keys: list[str], i: int) -> int:
        for ktuple, cased in self._multi.get(keys[i], ()):
            size = len(ktuple)
            if tuple(keys[i:i + size]) != ktuple:
                continue
            if any(not _NAME_GAP.fullmatch("".join(chars[toks[j][1]:toks[j + 1][0]])) for j in range(i, i + size - 1)):
                continue
            for j in range(size):
                self._apply(chars, toks[i + j], cased[j])
            return size
        return 0

    @staticmethod
    def _apply(chars: list[str], span: tuple[int, int], form: str) -> None:
        s, e = span
        for k, c in enumerate(form[:e - s]):
            if c.isupper():
                chars[s + k] = _upper(chars[s + k])

    @staticmethod
    def _by_number(chars: list[str], toks: list[tuple[int, int]], i: int) -> bool:
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(toks)]
        return any("".join(chars[toks[j][0]:toks[j][1]]).isdigit() for j in near)

    @staticmethod
    def _acronym_in_brackets(original: list[str], span: tuple[int, int], base: int) -> bool:
        s, e = span[0] - base, span[1] - base
        return 2 <= e - s <= 6 and s > 0 and e < len(original) and original[s - 1] in "([" and original[e] in ")]"

    def _titles_before(self, chars: list[str], toks: list[tuple[int, int]], keys: list[str], names: list[int]) -> None:
        for i in names:
            if i == 0:
                continue
            for ktuple in self._titles.get(keys[i - 1], ()):
                size = len(ktuple)
                if i - size < 0 or tuple(keys[i - size:i]) != ktuple:
                    continue
                if "".join(chars[toks[i - 1][1]:toks[i][0]]).strip(" ."):
                    continue
                for j in range(i - size, i):
                    s, _ = toks[j]
                    chars[s] = _upper(chars[s])
                break

    def _sentence_starts(self, chars: list[str], toks: list[tuple[int, int]], keys: list[str], start: int,
                         line_starts_sentence: bool) -> None:
        prev_end = start
        for j, (s, e) in enumerate(toks):
            gap = "".join(chars[prev_end:s])
            first = j == 0 and line_starts_sentence
            if first or _SENTENCE_GAP.search(gap) and not self._abbreviation(keys[j - 1], toks[j - 1]):
                chars[s] = _upper(chars[s])
            prev_end = e

    def _abbreviation(self, key: str, span: tuple[int, int]) -> bool:
        return span[1] - span[0] == 1 or key in self._abbreviations

    def _is_name(self, key: str) -> bool:
        """A word the model's English word list, the dictionaries and the patterns do not know."""
        known = self._names.get(key)
        if known is None:
            if len(self._names) > 200_000:  # a bound on the memo for long runs
                self._names.clear()
            known = self._names[key] = self._unknown_word(key)
        return known

    def _unknown_word(self, key: str) -> bool:
        if not self._title_unknown or len(key) < self._title_min or not key.replace("'", "").isalpha():
            return False
        head, _, rest = key.partition("'")
        if rest:  # "d'aubuisson", "o'brien" may be names; "wouldn't", "army's" are not
            if len(head) > 2:
                return False
            key = rest
        return len(key) >= self._title_min and not self._english(key)

    def _english(self, word: str, parts: Iterable[str] | None = None) -> bool:
        """An English word (of the model's word list, in ``parts`` only when given)."""
        if parts is None and word in self._known:
            return True
        for pos in self._index if parts is None else parts:
            index = self._index[pos]
            if word in index or word in self._exc.get(pos, {}):
                return True
            for old, new in self._rules.get(pos, ()):
                if word.endswith(old) and word[:len(word) - len(old)] + new in index:
                    return True
        return False

    # ------------------------------------------------------------------ the look-up tables

    def _build(self) -> None:
        if self._built:
            return
        res = self.resources
        cfg = res.yaml(CASING_FILE)
        self._title_unknown = bool(cfg["title_unknown"])
        self._title_min = int(cfg["title_unknown_min_letters"])
        self._abbreviations = frozenset(w.lower() for w in cfg["abbreviations"])
        blocked = {w.lower() for w in cfg["keep_lower"]}
        from spacy.lang.en.stop_words import STOP_WORDS

        blocked |= {w.lower() for w in STOP_WORDS}
        pattern_words = set(_words_of(res.yaml(PATTERNS_FILE)))
        blocked |= pattern_words
        calendar = res.yaml(CALENDAR_FILE)
        self._ambiguous_months = frozenset(key_of(w) for w in calendar["ambiguous_months"])
        explicit = set(cfg["words"])
        forms: list[str] = list(cfg["words"])
        for group in ("months", "weekdays"):
            forms += [w for names in calendar[group].values() for w in names[:1]]  # full names only
        surfaces = self._surfaces if self._surfaces is not None else _dictionary_surfaces(res)
        titles: list[str] = [t for t in cfg["titles"]]
        agent_words: set[str] = set()
        national = frozenset(cfg["national_kinds"])
        nationals: set[str] = set()
        for form, kind, is_title in surfaces:
            if is_title:
                titles.append(form)
            if form == form.lower():
                agent_words.update(key_of(w) for w in _WORD.findall(form))
            else:
                forms.append(form)
                if kind in national:
                    nationals.add(form)
        forms += _place_names(res, self._gazetteer, int(cfg["city_min_population"]))
        self._load_vocabulary(cfg)
        not_nouns = [p for p in self._index if p in cfg["name_blocking_tables"]]
        for form in forms:
            words = _WORD.findall(form)
            if not words or form == form.lower():
                continue
            keys = tuple(_strip_possessive(key_of(w)) for w in words)
            if len(words) == 1:
                if form not in explicit and (keys[0] in blocked or keys[0] in self._ambiguous_months or (
                        form not in nationals and self._english(keys[0], not_nouns))):
                    continue  # "Let", "Man", "Mobile": a verb, adjective or adverb first
                self._single.setdefault(keys[0], words[0])
            elif form in explicit or not all(k in blocked for k in keys):
                self._multi.setdefault(keys[0], []).append((keys, tuple(words)))
        for key, entries in self._multi.items():
            self._multi[key] = sorted(dict.fromkeys(entries), key=lambda kc: -len(kc[0]))
        for title in titles:
            keys = tuple(key_of(w) for w in _WORD.findall(title))
            if keys and keys not in self._titles.get(keys[-1], []):
                self._titles.setdefault(keys[-1], []).append(keys)
        self._known = (blocked | agent_words) - set(self._single)  # a known name is no English word
        self._before_agents = {key_of(w): w for w in cfg["before_agent_nouns"]}
        self._agent_words = frozenset(agent_words)
        self._built = True

    def _load_vocabulary(self, cfg: dict[str, Any]) -> None:
        nlp = self._nlp
        if nlp is None:
            from .nlp import load_model

            nlp = load_model()
        vocab = model_vocabulary(nlp, cfg["lemma_tables"])
        self._index = dict(vocab.get("index") or {})
        self._exc = dict(vocab.get("exc") or {})
        self._rules = dict(vocab.get("rules") or {})
        if not self._index:
            self._title_unknown = False  # no English word list: no way to tell a name from a word


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _words_of(data: Any) -> Iterable[str]:
    """Every lower-case single word of a parsed YAML structure (the patterns' lemmas and lexicon)."""
    if isinstance(data, str):
        if data.islower() and " " not in data and data.replace("-", "").isalpha():
            yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _words_of(value)
    elif isinstance(data, list):
        for value in data:
            yield from _words_of(value)


def _dictionary_surfaces(res: Resources) -> list[tuple[str, str, bool]]:
    from .actors.dictionary import load_dictionary

    return [(form, entry.kind, entry.kind == "agent" and entry.title) for form, entry in load_dictionary(None, res).surfaces]


def _place_names(res: Resources, gazetteer: Any, min_population: int) -> list[str]:
    """Names and aliases of the bundled gazetteer files, their demonyms, and the index's cities."""
    names: list[str] = []
    for rel in PLACE_FILES:
        for row in res.tsv(rel):
            names.append(row.get("name") or "")
            names += [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
    for row in res.tsv("gazetteer/demonyms.tsv"):
        names += [v for v in row.values() if isinstance(v, str) and v[:1].isupper()]
    if gazetteer is None:
        from .gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    names += gazetteer.city_names(min_population)
    return [n for n in names if n]


def model_vocabulary(nlp: Any, parts: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The English word list of a spaCy pipeline's rule lemmatizer, per part of speech (``parts``, the
    table keys, from clean/casing.yaml): ``index`` (lemmas), ``exc`` (irregular forms), ``rules``
    (suffix rules). Empty when the pipeline has no such tables."""
    out: dict[str, dict[str, Any]] = {"index": {}, "exc": {}, "rules": {}}
    try:
        lookups = nlp.get_pipe("lemmatizer").lookups
    except (KeyError, AttributeError, ValueError):
        return out
    for name, slot in (("lemma_index", "index"), ("lemma_exc", "exc"), ("lemma_rules", "rules")):
        if not lookups.has_table(name):
            continue
        table = lookups.get_table(name)
        for pos in parts:
            value = table.get(pos)
            if value is not None:
                out[slot][pos] = frozenset(value) if slot == "index" else value
    return out


__all__ = ["CaseRestorer", "CaseReport", "Restored", "key_of", "model_vocabulary"]
