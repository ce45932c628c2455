"""Participants the text leaves implicit (``data/patterns/participants.yaml``).

- the article's country: the country an article is about (its mentions, the headline and dateline
  counting more), given to actors known only by description ("soldiers", "the government");
- symmetric acts: a meeting between equals has every party as source (PLOVER's CONSULT);
- implied sources: an agentless act that only a state does ("dozens were detained", "a curfew was
  imposed") has the police, court or government of its place's country as source, ``kind: implied``;
- unknown sources: any other agentless passive keeps an unknown source instead of being dropped.

:class:`ParticipantMixin` is part of the per-article state of :mod:`eventwire.events.extract`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..model import Actor, Event, Place

IMPLIED = "implied"
UNKNOWN = "unknown"
PLACEHOLDER_KINDS = frozenset({IMPLIED, UNKNOWN, "unidentified"})  # actors the text does not name


@dataclass(frozen=True)
class ImpliedSource:
    event_type: str
    modes: frozenset[str] | None
    lemmas: frozenset[str] | None
    text: str
    name: str
    sector: str

    def matches(self, event_type: str, mode: str | None, lemmas: set[str]) -> bool:
        return (event_type == self.event_type and (self.modes is None or mode in self.modes)
                and (self.lemmas is None or bool(lemmas & self.lemmas)))


@dataclass(frozen=True)
class Participants:
    """The rules of ``patterns/participants.yaml``."""

    min_mentions: float
    min_lead: float
    lead_weight: float
    symmetric: dict[str, frozenset[str]]  # event type -> modes that keep source -> target
    implied: tuple[ImpliedSource, ...]
    unknown: dict[str, str]
    prefer: dict[str, int]  # event type -> rank when one trigger word fires patterns of several types

    def rank(self, event_type: str) -> int:
        return self.prefer.get(event_type, len(self.prefer))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Participants:
        country = data["article_country"]
        return cls(
            min_mentions=float(country["min_mentions"]), min_lead=float(country["min_lead"]),
            lead_weight=float(country["lead_weight"]),
            symmetric={e["event_type"]: frozenset(e.get("not_modes") or ()) for e in data.get("symmetric") or ()},
            implied=tuple(ImpliedSource(
                event_type=e["event_type"],
                modes=frozenset(e["modes"]) if e.get("modes") else None,
                lemmas=frozenset(str(w).lower() for w in e["lemmas"]) if e.get("lemmas") else None,
                text=e["text"], name=e["name"], sector=e["sector"]) for e in data.get("implied_sources") or ()),
            unknown=dict(data["unknown_source"]),
            prefer={t: i for i, t in enumerate((data.get("one_event") or {}).get("prefer") or ())},
        )


class ParticipantMixin:
    """Article country, implied and unknown sources, symmetric acts (reads the article state's lookups)."""

    _article_country: str | None | bool = False  # False: not computed yet
    _country_counts: tuple[Counter[str], dict[int, Counter[str]]] = (Counter(), {})

    def article_country(self, outside: int | None = None) -> str | None:
        """The country the article is about, or None when no country clearly leads; with ``outside``, on
        the evidence of the other sentences only (a one-sentence article has no country of its own)."""
        if self._article_country is False:
            rules: Participants = self.p.participants
            orgs = self.p.sectors.organisation_codes
            by_sentence: dict[int, Counter[str]] = {}

            def add(country: str | None, token: int) -> None:
                if country and country not in orgs:
                    si = self.sent_of.get(token, 0)
                    by_sentence.setdefault(si, Counter())[country] += rules.lead_weight if si == 0 else 1.0

            for actor, rng in self.actor_tokens:
                add(actor.country, rng.start)
            for i, actors in self.modifier_by_token.items():
                for actor in actors:
                    add(actor.country, i)
            for place, rng in self.place_tokens:
                add(place.country, rng.start)
            total: Counter[str] = Counter()
            for counts in by_sentence.values():
                total.update(counts)
            self._country_counts = (total, by_sentence)
            self._article_country = self._leader(total)
        if outside is None:
            return self._article_country or None
        total, by_sentence = self._country_counts
        return self._leader(total - by_sentence.get(outside, Counter()))

    def _leader(self, counts: Counter[str]) -> str | None:
        rules: Participants = self.p.participants
        ranked = counts.most_common(2)
        if ranked and ranked[0][1] >= rules.min_mentions:
            runner = ranked[1][1] if len(ranked) > 1 else 0.0
            if ranked[0][1] >= rules.min_lead * runner:
                return ranked[0][0]
        return None

    def with_article_country(self, actors: list[Actor], outside: int | None = None) -> list[Actor]:
        """Actors known only by description take the article's country."""
        from .attach import with_country  # attach reads patterns, which reads this module

        country = self.article_country(outside)
        if country is None:
            return actors
        out = []
        for a in actors:
            b = with_country(a, country, self.p.sectors)
            if b is not a:
                b = b.model_copy(update={"entry": (b.entry or "").replace("+sentence-country", "+article-country")})
            out.append(b)
        return out

    def localise(self, actors: list[Actor], countries: set[str], others: list[Actor], si: int) -> list[Actor]:
        """Actors with no nationality of their own ("President X", "rebels", "the judge") take the one
        country their sentence names, not counting the country of the event's other side when that side is
        a state or place as a whole ("people are asking Turkey", "militias shelled the Turkish province"); or, when the sentence names none
        (or several, one of them the article's), the country the article is about."""
        from .attach import with_country  # attach reads patterns, which reads this module

        states = self.p.sectors.kinds.get("state_or_place", frozenset())
        own = countries - {a.country for a in others if a.country and a.kind in states}
        if len(own) == 1:
            (only,) = own
            return [with_country(a, only, self.p.sectors) for a in actors]
        if not own and countries:
            # the sentence's only country is the other side's: the article's, on its other sentences' evidence
            return self.with_article_country(actors, outside=si)
        if not own or self.article_country() in own:
            return self.with_article_country(actors)
        return actors

    def place_country(self, locations: list[Place], si: int) -> str | None:
        """The country of an event's place, else of its sentence (when it names one), else of the article."""
        place = next((pl.country for pl in locations if pl.country), None)
        if place:
            return place
        countries = self.countries_of_sentence(si)
        if len(countries) == 1:
            return next(iter(countries))
        return self.article_country()

    def implied_source(self, event_type: str, mode: str | None, lemmas: set[str], locations: list[Place],
                       si: int) -> list[Actor]:
        """The state body that alone does this act, of the place's country ([] when no rule matches)."""
        rule = next((r for r in self.p.participants.implied if r.matches(event_type, mode, lemmas)), None)
        if rule is None:
            return []
        return [Actor(text=rule.text, name=rule.name, country=self.place_country(locations, si), sector=rule.sector,
                      kind=IMPLIED, entry=f"implied-{rule.sector.lower()}")]

    def unknown_source(self) -> list[Actor]:
        u = self.p.participants.unknown
        return [Actor(text=u["text"], name=u["name"], sector=u["sector"], kind=UNKNOWN, entry="unknown-source")]


def role_label(actor: Actor) -> str:
    """How an event's actor is shown in the explanation: its country (or text); implied and unknown
    actors say so ("KEN COP (implied)", "unknown (no agent)")."""
    if actor.kind == IMPLIED:
        return f"{actor.country or '-'} {actor.sector or '-'} (implied)"
    if actor.kind == UNKNOWN:
        return "unknown (no agent)"
    return actor.country or actor.text


def join_act(verb_event: Event, noun_event: Event) -> None:
    """Fold an attack noun into the verb it is the subject of ("airstrikes killed dozens"): one act."""
    if not verb_event.mode and noun_event.mode:
        verb_event.mode = noun_event.mode
        verb_event.cameo = noun_event.cameo
        verb_event.goldstein = noun_event.goldstein
    named = [a for a in noun_event.source if a.kind not in PLACEHOLDER_KINDS]
    if named and all(a.kind in PLACEHOLDER_KINDS for a in verb_event.source):
        verb_event.source = named
    have = {(a.start, a.country, a.sector) for a in verb_event.target}
    verb_event.target += [a for a in noun_event.target if (a.start, a.country, a.sector) not in have]
    verb_event.quantities += [q for q in noun_event.quantities if q not in verb_event.quantities]
    verb_event.locations += [pl for pl in noun_event.locations if pl not in verb_event.locations]


def symmetric(event: Event, rules: Participants) -> None:
    """A meeting between equals: every party is a source (in place); a place is no party ("talks in Geneva")."""
    keep = rules.symmetric.get(event.event_type)
    if keep is None or event.mode in keep or not event.target:
        return
    have = {(a.start, a.country, a.text) for a in event.source}
    event.source = event.source + [a for a in event.target if (a.start, a.country, a.text) not in have
                                   and a.kind != "place"]
    event.target = []
