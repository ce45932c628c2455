"""YAML for the knowledge files: YAML 1.2 booleans, so a bare ``on``, ``off``, ``yes``, ``no`` (a
particle, a month cue, Norway's ISO code ``NO``) stays a word. Only ``true``/``false`` are booleans."""

from __future__ import annotations

import re
from typing import Any

import yaml

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class WordSafeLoader(_BASE):  # type: ignore[misc,valid-type]
    """A safe loader whose booleans are only true/false (any case)."""


WordSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BASE.yaml_implicit_resolvers.copy().items()
}
WordSafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(text: str) -> Any:
    """Parse YAML text safely with YAML 1.2 booleans."""
    return yaml.load(text, Loader=WordSafeLoader)  # noqa: S506 - a safe loader
