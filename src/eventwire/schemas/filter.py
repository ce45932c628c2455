"""Schemas of the event filter's files: the trained model (JSON) and its cue phrases (YAML)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import Field, RootModel

from .core import Strict, Word


class LinearModel(Strict):
    """One logistic model: a bias and a weight per named feature."""

    bias: float
    weights: dict[str, float]
    threshold: float | None = Field(default=None, ge=0, le=1)


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


def check_json_files(data_dir: str | Path | None = None) -> list[Any]:
    """Validate the JSON data files (``eventwire data check`` reads YAML and TSV through
    :func:`eventwire.resources.check`; this adds the files of this module that are JSON)."""
    from ..resources import Problem, Resources
    from . import validate_file

    res = Resources(data_dir)
    root = res.data_dir or res.bundled
    problems: list[Any] = []
    for rel in sorted(r for r in SCHEMAS if r.endswith(".json")):
        path = root / rel
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), None, f"cannot read the file ({exc}); save it as UTF-8"))
            continue
        except json.JSONDecodeError as exc:
            problems.append(Problem(str(path), exc.lineno, f"JSON syntax error ({exc.msg}); rebuild it with "
                                                           "scripts/train_filter.py"))
            continue
        problems.extend(validate_file(rel, data, text, str(path), res))
    return problems
