"""Schemas of the ontology files and shared shapes (word classes, weights)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

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


SCHEMAS = {
    "ontology/plover.yaml": PloverFile,
}
# TSV files whose rows are validated (one model per row, after the header)
TSV_SCHEMAS = {
    "ontology/acled_sources.tsv": AcledSourceRow,
}
