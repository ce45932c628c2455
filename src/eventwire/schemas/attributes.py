"""Schemas of the attribute knowledge: ``data/attributes/*.yaml`` (attribution, modality,
quantities) and the geoparser's ``data/gazetteer/*.yaml`` (scoring weights, word classes)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from .core import Strict, Word

# the readings a verb of saying can take part in (attributes/attribution.yaml): mechanism, each
# is read by one stage
READINGS = ("source", "intent")


class Attribution(Strict):
    """attributes/attribution.yaml."""

    reporting_verbs: dict[Word, list[Word]]
    source_nouns: list[Word]
    anonymous: list[Word]
    source_prepositions: list[Word]

    @field_validator("reporting_verbs")
    @classmethod
    def _readings(cls, verbs: dict[str, list[str]]) -> dict[str, list[str]]:
        for verb, readings in verbs.items():
            bad = [r for r in readings if r not in READINGS]
            if bad or not readings:
                raise ValueError(f"{verb}: readings must be a non-empty list of {', '.join(READINGS)} (got {readings})")
        return verbs


class Modality(Strict):
    """attributes/modality.yaml."""

    future_aux: list[Word]
    hypothetical_aux: list[Word]
    future_in_past_aux: list[Word]
    past_aux: list[Word]
    present_aux: list[Word]
    future_governors: list[Word]
    hypothetical_governors: list[Word]
    negating_governors: list[Word]
    negating_determiners: list[Word]
    conditional_marks: list[Word]
    prospective_marks: list[Word]
    attempt_governors: list[Word]
    mandative: list[Word]


class Quantities(Strict):
    """attributes/quantities.yaml."""

    qualifiers: dict[Word, list[Word]]
    number_words: dict[Word, float]
    scales: dict[Word, float]
    vague: dict[Word, float]
    vague_qualifier: Literal["exact", "about", "at_least", "at_most", "more_than", "less_than"]
    # a word list, or FILE#KEY naming the list under KEY of another data file (the one weapon list)
    units: dict[Word, list[Word] | Annotated[str, StringConstraints(pattern=r"^[\w/.-]+\.yaml#\w+$")]]
    context_kinds: dict[Word, list[Word]]
    uncounted_units: list[Word]
    place_prepositions: list[Word]
    verb_place_prepositions: list[Word]


Weight = float  # a score weight, in log10-population units


class ActorPlaces(Strict):
    alias_min_population: int = Field(ge=0)
    alias_overshadow: int = Field(ge=1)
    alias_min_length: int = Field(ge=1)


class GeoparserScoring(Strict):
    feature_bonus: dict[Word, Weight]
    other_feature_bonus: Weight
    bundled_base: Weight
    exact_bonus: Weight
    city_pop_weight: Weight
    city_pop_pivot: Weight
    capital_min_population: int = Field(ge=0)
    big_city: int = Field(ge=0)
    big_city_state_penalty: Weight
    small_town: int = Field(ge=0)
    small_namesake_penalty: Weight
    facility_alias_penalty: Weight
    state_cue_bonus: Weight
    context_country: Weight
    context_country_step: Weight
    context_country_cap: Weight
    demonym_context_weight: Weight
    context_city_population: int = Field(ge=0)
    context_admin1: Weight
    context_near: Weight
    near_km: float = Field(ge=0)
    max_anchors: int = Field(ge=0)
    weak_near_km: float = Field(ge=0)
    container_km_per_point: float = Field(gt=0)
    container_km: dict[Word, float]
    container_km_other: float = Field(ge=0)
    admin1_container_km: float = Field(ge=0)
    max_scored: int = Field(ge=1)
    subspan_min_population: int = Field(ge=0)
    city_min_population: int = Field(ge=0)
    all_caps_share: float = Field(gt=0, le=1)
    all_caps_max_short: int = Field(ge=0)
    town_features: list[Word]
    local_features: list[Word]


class EventSetting(Strict):
    """gazetteer/scoring.yaml, section event_setting: the place of an event whose sentence names none."""

    target_place_types: list[Word]
    lookback_sentences: int = Field(ge=0)
    min_country_mentions: int = Field(ge=1)


class Scoring(Strict):
    """gazetteer/scoring.yaml."""

    actor_places: ActorPlaces
    event_setting: EventSetting
    geoparser: GeoparserScoring


class GeoWords(Strict):
    """gazetteer/words.yaml."""

    generic_suffixes: list[Word]
    container_words: list[Word]
    list_words: list[Word]
    direction_words: list[Word]
    state_words: list[Word]
    admin_unit_words: list[Word]
    named_after_words: list[Word]
    not_local_name_words: list[Word]
    place_words: list[Word]
    site_words: list[Word]
    site_links: list[Word]
    honorifics: list[Word]
    plural_units: dict[Word, Word]
    saint_alternates: dict[Word, Word]
    compass_words: list[Word]


SCHEMAS = {
    "attributes/attribution.yaml": Attribution,
    "attributes/modality.yaml": Modality,
    "attributes/quantities.yaml": Quantities,
    "gazetteer/scoring.yaml": Scoring,
    "gazetteer/words.yaml": GeoWords,
}
