"""Schemas of the ontology files and shared shapes (word classes, weights)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, field_validator

Word = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    """A mapping with a fixed set of keys: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class WordClasses(RootModel[dict[str, list[Word]]]):
    """A file of named word classes: ``name: [word, ...]``."""


class PloverType(Strict):
    quad: int = Field(ge=1, le=4)
    cameo: Annotated[str, StringConstraints(pattern=r"^\d{2,4}$")]
    score: float = Field(ge=-10, le=10)
    modes: dict[str, float] | None = None
    families: list[Annotated[str, StringConstraints(pattern=r"^\d{2}$")]] | None = None


class PloverFile(RootModel[dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]+$")], PloverType]]):
    """ontology/plover.yaml: the PLOVER types."""


AcledScale = Literal["International", "Regional", "National", "Subnational", "Local", "New media", "Other"]


class AcledSourceRow(Strict):
    """A row of ontology/acled_sources.tsv: an outlet, its country and its ACLED source scales."""

    outlet: Word
    aliases: str = ""
    hosts: str = ""
    country: Annotated[str, StringConstraints(pattern=r"^([A-Z]{3})?$")] = ""
    home_scale: AcledScale
    abroad_scale: AcledScale | Literal[""] = ""


class CaseDetect(Strict):
    min_lower_letters: int = Field(ge=1)
    min_upper_words: int = Field(ge=1)
    sentence_case_min_words: int = Field(ge=1)
    wrapped_line_min_chars: int = Field(ge=1)


class CasingFile(Strict):
    """clean/casing.yaml: how case-damaged lines are found and restored (eventwire.casing)."""

    detect: CaseDetect
    city_min_population: int = Field(ge=0)
    title_unknown: bool
    title_unknown_min_letters: int = Field(ge=1)
    words: list[Word]
    before_agent_nouns: list[Word]
    keep_lower: list[Word]
    titles: list[Word]
    abbreviations: list[Word]
    lemma_tables: list[Word]
    name_blocking_tables: list[Word]
    national_kinds: list[Word]

    @field_validator("keep_lower", "titles", "abbreviations", "lemma_tables", "name_blocking_tables", "national_kinds")
    @classmethod
    def _lower_case(cls, words: list[str]) -> list[str]:
        bad = [w for w in words if w != w.lower()]
        if bad:
            raise ValueError(f"these words must be written in lower case: {', '.join(bad[:5])}")
        return words

    @field_validator("words", "before_agent_nouns")
    @classmethod
    def _capitalised(cls, words: list[str]) -> list[str]:
        bad = [w for w in words if w == w.lower()]
        if bad:
            raise ValueError(f"a word here must carry its capitals (else it restores nothing): {', '.join(bad[:5])}")
        return words


SCHEMAS = {
    "ontology/plover.yaml": PloverFile,
    "clean/casing.yaml": CasingFile,
}
# TSV files whose rows are validated (one model per row, after the header)
TSV_SCHEMAS = {
    "ontology/acled_sources.tsv": AcledSourceRow,
}
