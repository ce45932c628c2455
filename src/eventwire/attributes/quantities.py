"""Quantities: every counted thing in an article, with qualifier, counted noun, kind and the
actor and place it belongs to ("about 2,500 troops in Iraq" -> 2500, about, troops, personnel, IRQ).

Word lists live in ``data/attributes/quantities.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..errors import DataFileError
from ..model import Actor, Place, Quantity
from ..nlp import sentences
from ..resources import Resources, default_resources

WORDS_FILE = "attributes/quantities.yaml"

_NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_SKIP_ENTS = {"DATE", "TIME", "PERCENT", "ORDINAL"}


@dataclass(frozen=True)
class _Lexicon:
    qualifiers: list[tuple[tuple[str, ...], str]]
    number_words: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, float]
    # first word -> (the vague phrases it starts, longest first, as word tuples, with their value)
    vague_phrases: dict[str, list[tuple[tuple[str, ...], float]]]
    vague_qualifier: str
    units: list[tuple[str, frozenset[str]]]
    context_kinds: list[tuple[str, frozenset[str]]]
    uncounted_units: frozenset[str]
    place_preps: frozenset[str]
    verb_place_preps: frozenset[str]


def lexicon(resources: Resources | None = None) -> _Lexicon:
    """The quantity word lists of ``resources`` (default: the bundled data), read once."""
    return _lexicon(resources or default_resources())


def _word_class(value: list[str] | str, resources: Resources) -> frozenset[str]:
    """A word list, or ``FILE#KEY``: the list under KEY of another data file (e.g. the one weapon list)."""
    if isinstance(value, str):
        rel, _, key = value.partition("#")
        return resources.words(rel, key)
    return frozenset(value)


@lru_cache(maxsize=8)
def _lexicon(resources: Resources) -> _Lexicon:
    path = resources.path(WORDS_FILE)
    data = resources.yaml(WORDS_FILE)
    try:
        qualifiers = sorted(
            ((tuple(phrase.lower().split()), q) for q, phrases in data["qualifiers"].items() for phrase in phrases),
            key=lambda x: -len(x[0]),
        )
        vague = {k.lower(): float(v) for k, v in data["vague"].items()}
        phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for phrase, value in sorted(vague.items(), key=lambda kv: -len(kv[0].split())):
            words = tuple(phrase.split())
            phrases.setdefault(words[0], []).append((words, value))
        return _Lexicon(
            qualifiers=qualifiers,
            number_words={k.lower(): float(v) for k, v in data["number_words"].items()},
            scales={k.lower(): float(v) for k, v in data["scales"].items()},
            vague=vague,
            vague_phrases=phrases,
            vague_qualifier=str(data["vague_qualifier"]),
            units=[(k, _word_class(v, resources)) for k, v in data["units"].items()],
            context_kinds=[(k, frozenset(v)) for k, v in data["context_kinds"].items()],
            uncounted_units=frozenset(data["uncounted_units"]),
            place_preps=frozenset(data["place_prepositions"]),
            verb_place_preps=frozenset(data["verb_place_prepositions"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(f"{path}: cannot read quantity word lists ({exc}); fix the file") from exc


def _value(tokens: list[Token], lex: _Lexicon) -> float | None:
    total: float | None = None
    for tok in tokens:
        word = tok.lower_.replace("-", " ")
        if _NUMERIC.match(tok.text):
            number = float(tok.text.replace(",", ""))
            total = number if total is None else total + number
        elif word in lex.scales and total is not None:
            total *= lex.scales[word]
        elif word in lex.number_words:
            number = lex.number_words[word]
            total = number if total is None else total + number
        elif " " in word and all(w in lex.number_words for w in word.split()):
            number = sum(lex.number_words[w] for w in word.split())
            total = number if total is None else total + number
        elif word in lex.scales:
            total = lex.scales[word]
        else:
            return None
    return total


def _is_number_token(tok: Token, lex: _Lexicon) -> bool:
    word = tok.lower_
    if _NUMERIC.match(tok.text):
        return True
    return word in lex.number_words or word in lex.scales or (
        "-" in word and all(w in lex.number_words for w in word.split("-"))
    )


def _qualifier(first: Token, lex: _Lexicon, lowers: list[str], sent_start: int) -> tuple[str, int]:
    for words, qualifier in lex.qualifiers:
        start = first.i - len(words)
        if start < sent_start:
            continue
        if tuple(lowers[start:first.i]) == words:
            return qualifier, start
    return "exact", first.i


def _unit(tokens: list[Token]) -> Token | None:
    last = tokens[-1]
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "compound", "amod") and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
        return head
    # "900 in Syria" after "2,500 troops in Iraq and": borrow the unit of the coordinated number
    if last.dep_ == "conj" or head.dep_ == "conj":
        for cand in (head, *head.children):
            if cand.pos_ == "NOUN" and cand.i < last.i and any(c.dep_ == "nummod" for c in cand.children):
                return cand
    nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
    if nxt is not None and nxt.lower_ == "of" and nxt.i + 1 < len(last.doc):
        after = last.doc[nxt.i + 1]
        noun = after if after.pos_ == "NOUN" else (after.head if after.head.pos_ == "NOUN" else None)
        if noun is not None:
            return noun
    return None


def _kind(unit: Token | None, anchor: Token, lex: _Lexicon) -> str | None:
    """The kind of count: from the nearest word that says what happened to them, else the unit."""
    levels: list[set[str]] = [{anchor.lemma_.lower()} | {c.lemma_.lower() for c in anchor.children}]
    if unit is not None:
        levels[0] |= {c.lemma_.lower() for c in unit.children}
        levels.append({unit.head.lemma_.lower()})
    levels.append({anchor.head.lemma_.lower()})
    levels.append({anchor.head.head.lemma_.lower()})
    counted = unit is None or unit.lemma_.lower() not in lex.uncounted_units
    for near in levels:
        for kind, words in lex.context_kinds:
            if near & words and counted:
                return kind
    if unit is not None:
        lemma = unit.lemma_.lower()
        for kind, words in lex.units:
            if lemma in words or unit.lower_ in words:
                return kind
    return None


def find_quantities(
    doc: Doc, actors: list[Actor] | None = None, places: list[Place] | None = None,
    skip: list[tuple[int, int]] | None = None, resources: Resources | None = None,
) -> list[Quantity]:
    """Every counted quantity in the parsed doc.

    actors/places (char spans) tie a quantity to an actor country and a location country;
    skip lists char spans (dates, times) whose numbers are not quantities; the word lists come from
    ``resources`` (default: the bundled data).
    """
    lex = lexicon(resources)
    skip_chars = list(skip or [])
    skip_chars += [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _SKIP_ENTS]
    sents = sentences(doc)
    sent_of = [0] * len(doc)
    for si, sent in enumerate(sents):
        for k in range(sent.start, sent.end):
            sent_of[k] = si
    lowers = [t.lower_ for t in doc]
    out: list[Quantity] = []
    i = 0
    n = len(doc)
    while i < n:
        # "tens of thousands", "half a million", "dozens": an approximate number (the longest phrase)
        phrase = next((words for words, _ in lex.vague_phrases.get(lowers[i], ())
                       if tuple(lowers[i:i + len(words)]) == words and sent_of[min(n - 1, i + len(words) - 1)] == sent_of[i]),
                      None)
        if phrase is None and not (lowers[i][:1].isdigit() or lowers[i] in lex.number_words or lowers[i] in lex.scales
                                   or "-" in lowers[i]):
            i += 1
            continue
        tok = doc[i]
        if phrase is None and not _is_number_token(tok, lex):
            i += 1
            continue
        j = i + len(phrase) - 1 if phrase is not None else i
        while phrase is None and j + 1 < n and _is_number_token(doc[j + 1], lex) and sent_of[j + 1] == sent_of[i]:
            j += 1
        tokens = list(doc[i : j + 1])
        i = j + 1
        if any(s <= tokens[0].idx < e for s, e in skip_chars):
            continue
        vague = phrase is not None
        if vague:
            value: float | None = lex.vague[" ".join(phrase)]
            # "more than half a million": the stated qualifier; a bare vague number is approximate
            qualifier, qstart = _qualifier(tokens[0], lex, lowers, sents[sent_of[tokens[0].i]].start)
            if qualifier == "exact":
                qualifier = lex.vague_qualifier
        else:
            value = _value(tokens, lex)
            qualifier, qstart = _qualifier(tokens[0], lex, lowers, sents[sent_of[tokens[0].i]].start)
        if value is None or (tokens[0].lower_ in ("one",) and tokens[0].dep_ not in ("nummod",)):
            continue
        if _looks_like_year(tokens, value):
            continue
        unit = _unit(tokens)
        if unit is None and tokens[-1].dep_ not in ("dobj", "nsubj", "nsubjpass", "pobj", "conj", "attr", "appos"):
            continue
        if unit is None and not vague and not _counted_context(tokens[-1]):
            continue
        kind = _kind(unit, unit or tokens[-1], lex)
        start_tok = doc[qstart]
        end_tok = unit if unit is not None and unit.i > tokens[-1].i else tokens[-1]
        text = doc[start_tok.i : end_tok.i + 1].text
        sentence = sents[sent_of[tokens[0].i]]
        out.append(
            Quantity(
                value=int(value) if float(value).is_integer() else value,
                qualifier=qualifier,  # type: ignore[arg-type]
                unit=unit.text if unit is not None else None,
                kind=kind,
                text=text,
                start=start_tok.idx,
                end=end_tok.idx + len(end_tok.text),
                sentence_index=sent_of[tokens[0].i],
                actor_country=_actor_country(unit or tokens[-1], actors or []),
                location_country=_location_country(unit, tokens[-1], places or [], sentence, lex),
            )
        )
    return out


def _looks_like_year(tokens: list[Token], value: float) -> bool:
    return len(tokens) == 1 and tokens[0].text.isdigit() and len(tokens[0].text) == 4 and 1800 <= value <= 2100


def _counted_context(tok: Token) -> bool:
    """A bare number counts something when a verb of counting governs it ("killing 12")."""
    return tok.head.pos_ in ("VERB",) or tok.dep_ == "conj"


def _in_span(tok: Token, start: int | None, end: int | None) -> bool:
    return start is not None and end is not None and start <= tok.idx < end


def _actor_country(anchor: Token, actors: list[Actor]) -> str | None:
    # an actor inside the counted phrase ("1,500 US soldiers") ...
    for tok in anchor.subtree:
        if tok.dep_ in ("compound", "amod", "poss", "nmod"):
            for actor in actors:
                if _in_span(tok, actor.start, actor.end) and actor.country:
                    return actor.country
    # ... or the subject of the verb that has, sends or deploys it ("the US has 2,500 troops")
    verb = anchor.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ in ("VERB", "AUX"):
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                for tok in child.subtree:
                    for actor in actors:
                        if _in_span(tok, actor.start, actor.end) and actor.country:
                            return actor.country
    return None


def _location_country(unit: Token | None, number: Token, places: list[Place], sentence: Span,
                      lex: _Lexicon) -> str | None:
    anchors = [t for t in (number, unit) if t is not None]
    for anchor in anchors:
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ in lex.place_preps:
                for tok in child.subtree:
                    for place in places:
                        if _in_span(tok, place.start, place.end) and place.country:
                            return place.country
    head = (unit or number).head
    if head.pos_ == "VERB":
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in lex.verb_place_preps:
                for tok in child.subtree:
                    for place in places:
                        if _in_span(tok, place.start, place.end) and place.country:
                            return place.country
    return None
