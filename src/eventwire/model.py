"""Plain containers for coded output.

Every stage fills one of these; none of them holds behaviour beyond (de)serialisation.
They serialise to the *coded-article document* described in the README
(``CodedArticle.to_dict()``) and read it back unchanged (``CodedArticle.from_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Precision = Literal["day", "week", "month", "year", "decade"]
Qualifier = Literal["exact", "at_least", "at_most", "about", "more_than", "less_than"]
Modality = Literal["asserted", "negated", "future", "hypothetical"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=False)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class TextSpan(_Model):
    """A character span into the cleaned article text (end exclusive)."""

    text: str
    start: int
    end: int


class SentenceSpan(TextSpan):
    index: int


class Actor(_Model):
    """A coded actor: ``country`` is ISO 3166 alpha-3 or an organisation code (IGO, UNO, EUR, IMG ...)."""

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str | None = None  # country, person, group, organisation, media, description, pronoun
    patron: str | None = None  # e.g. IRN for "militias aligned with Iran"
    entry: str | None = None  # id of the dictionary entry that coded it
    start: int | None = None
    end: int | None = None


class Place(_Model):
    """A geocoded place mention."""

    text: str
    name: str | None = None
    country: str | None = None  # ISO alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # country, admin1, city, region, continent, facility, ...
    start: int | None = None
    end: int | None = None


class DateValue(_Model):
    """``value`` is the ISO date of the start of the period, ``precision`` its granularity."""

    value: str
    precision: Precision
    text: str | None = None
    start: int | None = None
    end: int | None = None


class Quantity(_Model):
    value: float | int
    qualifier: Qualifier = "exact"
    unit: str | None = None  # the counted noun, e.g. "soldiers"
    kind: str | None = None  # personnel, attacks, killed, injured, crowd, money, ...
    text: str
    start: int | None = None
    end: int | None = None
    sentence_index: int | None = None
    actor_country: str | None = None
    location_country: str | None = None


class Attribution(_Model):
    """Who says so: an outlet, an official, a ministry."""

    text: str
    name: str | None = None
    kind: str | None = None  # media, official, government, organisation, person, anonymous
    country: str | None = None
    sentence_index: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class TimeRef:
    """A time expression reduced to what the event rules need."""

    start: int
    end: int
    date: DateValue


@dataclass
class AttributionScope:
    """An attribution with the token indices it covers (the reported clause, or the sentence)."""

    attribution: Attribution
    tokens: set[int]


class Event(_Model):
    event_id: str
    event_type: str
    mode: str | None = None
    context: list[str] = []
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    source: list[Actor] = []
    target: list[Actor] = []
    locations: list[Place] = []
    date: DateValue | None = None
    quantities: list[Quantity] = []
    modality: Modality = "asserted"
    attribution: Attribution | None = None
    trigger: TextSpan
    sentence: SentenceSpan
    rule: str
    confidence: float | None = None  # the event filter's probability that this is a real event of this type
    background: bool = False  # reported as history or a cumulative total, not as this article's news
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    # How sure the coder is that this is a real, reported event (None: not scored; filters treat it as 1.0).
    confidence: float | None = None
    # True for background: history, cumulative tolls, context rather than news of the day.
    background: bool = False


class ArticleMeta(_Model):
    id: str
    title: str | None = None
    published: str | None = None  # ISO date
    outlet: str | None = None
    url: str | None = None


class CodedArticle(_Model):
    """The coded-article document: one per input article."""

    article: ArticleMeta
    text: str  # the cleaned text every span refers to
    events: list[Event] = []
    quantities: list[Quantity] = []
    locations: list[Place] = []
    attributions: list[Attribution] = []
    actors: list[Actor] = []
    version: str = "1"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CodedArticle:
        return cls.model_validate(data)


@dataclass
class RawArticle:
    """One article after decoding and cleaning, before NLP.

    text: the cleaned text. meta fields come from the input (JSON fields, HTML meta tags)
    or from the caller; ``source`` names where it came from (path, URL, 'stdin').
    """

    text: str
    id: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    source: str = "-"
    kind: str = "text"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """An article that could not be coded, with a one-line reason."""

    article_id: str | None
    source: str
    reason: str
