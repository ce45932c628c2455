"""Attribute attachment: the date, places, contexts, attribution and sentence country of an event.

Attribute *detection* runs before the events stage (eventwire.attributes); here each event is
linked to the mentions in its own clause: the date whose phrase attaches to the trigger or its
governing verbs, the places under a locative preposition (not a temporal one), the attribution
whose scope holds the trigger, PLOVER contexts from cue words and actor sectors. Counts are
linked in :mod:`eventwire.events.extract` (the quantities inside the trigger's clause).
:class:`AttachMixin` is part of the per-article state of :mod:`eventwire.events.extract`.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Attribution, AttributionScope, DateValue, Place
from .patterns import Sectors
from .syntax import head_chain


class Spans:
    """Map character spans (actors, places, quantities, times) to token indices."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = doc.to_array("IDX").tolist() if len(doc) else []

    def tokens(self, start: int, end: int) -> range:
        first = max(0, bisect_left(self.starts, start + 1) - 1)
        last = max(first, bisect_left(self.starts, end) - 1)
        return range(first, last + 1)


class AttachMixin:
    """Link an event to the attribute mentions of its clause and sentence."""

    def countries_of_sentence(self, si: int) -> set[str]:
        """Countries named in a sentence by actors, modifiers ("Chilean") and places (ISO codes only)."""
        if si not in self.sentence_countries:
            sent = self.sents[si]
            found = {a.country for a, rng in self.actor_tokens if sent.start <= rng.start < sent.end}
            found |= {a.country for i, acts in self.modifier_by_token.items() if sent.start <= i < sent.end for a in acts}
            found |= {pl.country for pl, rng in self.place_tokens if sent.start <= rng.start < sent.end}
            self.sentence_countries[si] = {c for c in found if c and c not in self.p.sectors.organisation_codes}
        return self.sentence_countries[si]

    def _contexts(self, sent: Span, actors: list[Actor]) -> list[str]:
        """PLOVER contexts from cue words in the sentence and the actors' sectors."""
        key = sent.start
        if key not in self.sentence_cues:
            words: set[str] = set()
            toks = [t for t in sent if t.ent_type_ not in ("PERSON", "ORG", "WORK_OF_ART", "FAC")]
            for i, t in enumerate(toks):
                lemma = t.lemma_.lower()
                words |= {lemma, t.lower_}
                if i + 1 < len(toks):
                    words.add(f"{lemma} {toks[i + 1].lemma_.lower()}")
                    words.add(f"{t.lower_} {toks[i + 1].lower_}")
            self.sentence_cues[key] = words
        words = self.sentence_cues[key]
        found = [ctx for ctx, cues in self.p.contexts.items() if words & cues]
        sectors = {a.sector for a in actors}
        found += [ctx for ctx, secs in self.p.context_sectors.items() if sectors & secs and ctx not in found]
        found += [ctx for code, ctx in self.p.context_countries.items() if any(a.country == code for a in actors) and ctx not in found]
        return found

    def _locations(self, tok: Token, scope: set[int], sent: Span, actors: list[Actor]) -> tuple[list[Place], list[Place]]:
        """(places of the event, the subset inside the trigger's own clause)."""
        actor_spans = {(a.start, a.end) for a in actors}
        found: list[Place] = []
        fallback: list[Place] = []
        for place, rng in self.place_tokens:
            if (place.start, place.end) in actor_spans or rng.start < sent.start or rng.start >= sent.end:
                continue
            head = self.doc[rng.start]
            for i in rng:
                if self.doc[i].head.i not in rng:
                    head = self.doc[i]
            anchor = head
            while anchor.dep_ == "conj":
                anchor = anchor.head
            locative = anchor.dep_ == "pobj" and anchor.head.lower_ in self.g.locative_preps
            if not locative and anchor.dep_ == "pobj" and anchor.head.lower_ == "of":
                outer = anchor.head.head  # "the city of Kharkiv", "the town of Kidal"
                locative = outer.dep_ in ("dobj", "nsubjpass") or (outer.dep_ == "pobj" and outer.head.lower_ in self.g.locative_preps)
                anchor = outer
            if not locative and anchor.dep_ in ("dobj", "nsubjpass") and anchor.head.i == tok.i:
                locative = True
            if locative and any(t.dep_ == "prep" and t.lower_ in self.g.temporal_preps for t in path_up(anchor, tok)):
                continue
            if locative and anchor.i in scope:
                found.append(place)
            elif locative:
                fallback.append(place)
        return [pl.model_copy() for pl in (found or fallback)], found

    def _date(self, tok: Token, gov: Token | None, scope: set[int], sent: Span) -> DateValue | None:
        chain = [tok] + ([gov] if gov is not None else []) + head_chain(gov or tok)
        best: tuple[int, DateValue] | None = None
        for time, rng in self.time_tokens:
            if rng.start < sent.start or rng.start >= sent.end:
                continue
            if any(i in scope for i in rng):
                rank = 0
            else:
                heads = {self.doc[i].head.i for i in rng} - set(rng)
                heads |= {self.doc[h].head.i for h in heads if self.doc[h].dep_ == "prep"}
                rank = next((k + 1 for k, t in enumerate(chain) if t.i in heads), None)
                if rank is None:
                    continue
            if best is None or rank < best[0]:
                best = (rank, time.date)
        if best is not None:
            return best[1].model_copy()
        if self.inputs.published:
            return DateValue(value=self.inputs.published, precision="day", text=None)
        return None

    def _attribution(self, tok: Token) -> Attribution | None:
        best: AttributionScope | None = None
        for scope in self.inputs.attributions:
            if tok.i in scope.tokens and (best is None or len(scope.tokens) < len(best.tokens)):
                best = scope
        return best.attribution.model_copy() if best else None


def with_country(actor: Actor, country: str, sectors: Sectors) -> Actor:
    """A copy of a domestic actor with no country, given the country of its sentence."""
    if actor.country or actor.kind in sectors.kinds["own_country"] or (
            actor.sector not in sectors.classes["domestic"] and actor.kind not in sectors.kinds.get("local", ())):
        return actor
    return actor.model_copy(update={"country": country, "entry": f"{actor.entry or actor.kind or 'actor'}+sentence-country"})


def path_up(token: Token, stop: Token) -> list[Token]:
    """Tokens from token up to (not including) stop, or to the root."""
    out = []
    while token.i != stop.i and token.head.i != token.i:
        out.append(token)
        token = token.head
    return out
