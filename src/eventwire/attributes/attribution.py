"""Attribution: every source the article cites ("according to a report by CBS News", "the
ministry said") with the part of the sentence it covers.

Word lists live in ``data/attributes/attribution.yaml``; the sectors of official sources are the
``official`` class of ``data/ontology/sectors.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from ..model import Actor, Attribution
from ..nlp import sentences
from ..resources import Resources, default_resources

WORDS_FILE = "attributes/attribution.yaml"
SECTORS_FILE = "ontology/sectors.yaml"


@dataclass(frozen=True)
class _Words:
    reporting: frozenset[str]
    source_nouns: frozenset[str]
    anonymous: frozenset[str]
    source_preps: frozenset[str]
    official: frozenset[str]


@lru_cache(maxsize=8)
def _words(resources: Resources) -> _Words:
    from .modality import reporting_verbs

    return _Words(reporting_verbs(resources, "source"), resources.words(WORDS_FILE, "source_nouns"),
                  resources.words(WORDS_FILE, "anonymous"), resources.words(WORDS_FILE, "source_prepositions"),
                  frozenset(resources.yaml(SECTORS_FILE)["classes"]["official"]))


@dataclass
class FoundAttribution:
    attribution: Attribution
    tokens: set[int]  # token indices the attribution covers


def _kind(actors: list[Actor], head: Token, words: _Words) -> str:
    kinds = {a.kind for a in actors}
    sectors = {a.sector for a in actors}
    if "media" in kinds or "MED" in sectors:
        return "media"
    if head.lemma_.lower() in words.anonymous and not any(a.kind == "person" for a in actors):
        return "anonymous"
    if "person" in kinds or head.ent_type_ == "PERSON":
        return "official" if sectors & words.official else "person"
    if sectors & words.official or kinds & {"country", "capital"}:
        return "government"
    if actors:
        return "organisation"
    return "other"


def _actors_in(tokens: set[int], doc: Doc, actors: list[Actor]) -> list[Actor]:
    """Actors that start inside the phrase's character range."""
    if not tokens:
        return []
    lo = doc[min(tokens)].idx
    last = doc[max(tokens)]
    hi = last.idx + len(last.text)
    return [a for a in actors if a.start is not None and a.end is not None and a.start < hi and a.end > lo]


def _source_phrase(head: Token, words: _Words) -> Token:
    """In "a report by CBS News", the source is CBS News, not the report."""
    if head.lemma_.lower() in words.source_nouns:
        for child in head.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in words.source_preps:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return _source_phrase(obj, words)
    return head


def find_attributions(doc: Doc, actors: list[Actor], resources: Resources | None = None) -> list[FoundAttribution]:
    """Attributions in reading order, each with the token indices it covers (word lists of
    ``resources``, default: the bundled data)."""
    words = _words(resources or default_resources())
    out: list[FoundAttribution] = []
    for si, sent in enumerate(sentences(doc)):
        for tok in sent:
            lemma = tok.lemma_.lower()
            if lemma == "accord" and tok.lower_ == "according":
                objs = [g for c in tok.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
                if not objs:
                    continue
                src = _source_phrase(objs[0], words)
                scope = {t.i for t in sent}
                out.append(_make(doc, src, scope, si, actors, words))
            elif lemma in words.reporting and tok.pos_ == "VERB":
                subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
                if subj is None:
                    continue
                complements = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis", "xcomp")]
                if tok.dep_ in ("parataxis", "ccomp") and tok.head.pos_ in ("VERB", "AUX"):
                    complements.append(tok.head)  # "Iran attacked the base, officials said"
                scope = {t.i for c in complements for t in c.subtree}
                if tok.dep_ == "ROOT" or complements:
                    scope |= {tok.i}
                src = _source_phrase(subj, words)
                out.append(_make(doc, src, scope, si, actors, words))
    return out


def _make(doc: Doc, src: Token, scope: set[int], si: int, actors: list[Actor], words: _Words) -> FoundAttribution:
    phrase = {t.i for t in src.subtree if not (t.dep_ in ("relcl", "acl") and t.head.i == src.i)}
    lo, hi = min(phrase), max(phrase)
    span = doc[lo : hi + 1]
    found = _actors_in(phrase, doc, actors)
    named = [a for a in found if a.kind != "reference"] or found
    name = named[0].name if named and named[0].name else span.text
    return FoundAttribution(
        Attribution(
            text=span.text,
            name=name,
            kind=_kind(found, src, words),
            country=named[0].country if named else None,
            sentence_index=si,
            start=span.start_char,
            end=span.end_char,
        ),
        scope,
    )
