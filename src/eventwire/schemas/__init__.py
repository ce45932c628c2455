"""Schemas of the knowledge files: one pydantic model (or check function) per file of ``data/``.

Each submodule declares ``SCHEMAS``: a mapping from a data file's relative path (or a glob such
as ``"actors/people*.yaml"``) to a pydantic model that validates the parsed file. Unknown keys
are errors (models forbid extra fields). :func:`validate_file` turns every validation error into
a :class:`~eventwire.resources.Problem` with the file and line.
"""

from __future__ import annotations

import fnmatch
import inspect
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..resources import Problem, line_of, yaml_lines
from . import actors, attributes, core, dates, events, filter

Check = type[BaseModel] | Callable[[Any], list[tuple[tuple, str]]]
REGISTRY: dict[str, Check] = {}
for _module in (core, actors, attributes, dates, events, filter):
    REGISTRY.update(_module.SCHEMAS)


def schema_for(rel: str) -> Check | None:
    """The schema of a data file, by exact path first, then by glob."""
    if rel in REGISTRY:
        return REGISTRY[rel]
    for pattern, check in REGISTRY.items():
        if fnmatch.fnmatch(rel, pattern):
            return check
    return None


def _message(err: dict) -> str:
    msg = err.get("msg", "invalid value")
    if err.get("type") == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r}; remove it or check its spelling"
    if err.get("type") == "missing":
        return f"required key {err['loc'][-1]!r} is missing; add it"
    value = err.get("input")
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{'.'.join(str(p) for p in err['loc'])}: {msg} (got {shown})"


def validate_tsv(rel: str, text: str, path: str) -> list[Problem]:
    """Validate the rows of a TSV knowledge file that has a row schema (``core.TSV_SCHEMAS``), each
    problem with its line; rows of the wrong width are left to the width check."""
    model = core.TSV_SCHEMAS.get(rel)
    if model is None:
        return []
    header: list[str] | None = None
    problems: list[Problem] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        if len(cols) != len(header):
            continue
        try:
            model.model_validate(dict(zip(header, cols, strict=True)))
        except ValidationError as exc:
            problems.extend(Problem(path, n, _message(e)) for e in exc.errors())
    return problems


def validate_file(rel: str, data: Any, text: str, path: str, resources: Any = None) -> list[Problem]:
    """Validate one parsed knowledge file; every problem has its file and line.

    A check function may take ``(data)`` or ``(data, resources)``: the second form can read the
    other files of the same data folder (the ontology, for a pattern file's types and modes).
    """
    check = schema_for(rel)
    if check is None:
        return []
    found: list[tuple[tuple, str]] = []
    if isinstance(check, type) and issubclass(check, BaseModel):
        try:
            check.model_validate(data)
        except ValidationError as exc:
            found = [(tuple(e["loc"]), _message(e)) for e in exc.errors()]
    else:
        takes_resources = len(inspect.signature(check).parameters) >= 2
        if takes_resources:
            from ..resources import default_resources

            found = check(data, resources or default_resources())
        else:
            found = check(data)
    if not found:  # the line index costs a second parse of the text: only for a file with problems
        return []
    lines = yaml_lines(text) if rel.endswith((".yaml", ".yml")) else {}
    return [Problem(path, line_of(lines, loc), msg) for loc, msg in found]
