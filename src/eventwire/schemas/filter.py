"""Schemas of the event filter's files: the trained model (JSON) and its cue phrases (YAML)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, RootModel

from .core import Strict, Word


class LinearModel(Strict):
    """One logistic model: a bias and a weight per named feature."""

    bias: float
    weights: dict[str, float]
    threshold: float | None = Field(default=None, ge=0, le=1)
    # background only: features that make an event background whatever its score (chosen by CV)
    rules: list[str] = []


class FilterModel(Strict):
    """models/filter.json: written by scripts/train_filter.py; do not edit by hand."""

    version: int = Field(ge=1)
    features_version: int = Field(ge=1)
    kind: str
    threshold: float = Field(ge=0, le=1)
    criterion: str
    event: LinearModel
    background: LinearModel
    training: dict[str, Any] = {}
    cv: dict[str, Any] = {}


class FilterCues(RootModel[dict[str, list[Word]]]):
    """models/filter_cues.yaml: cue phrases per class."""


SCHEMAS = {
    "models/filter.json": FilterModel,
    "models/filter_cues.yaml": FilterCues,
}
