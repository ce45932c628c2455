"""How much of the CAMEO-to-PLOVER crosswalk the event patterns cover (``eventwire patterns coverage``).

The crosswalk (``CAMEO2PLOVER-2021.txt`` of the PLOVER project, not shipped with eventwire) maps
each 3- or 4-digit CAMEO code to a PLOVER type, mode and context, one code a line::

    042: CONSULT, visit,   # Make a visit

Two-digit lines (``04: CONSULT``) head a family and are not codes. A code is *covered* when a
pattern of the loaded pattern files carries it, as its ``cameo`` or as one of its by-object codes
(``codes:``); ``differs`` lists covered codes whose patterns code another PLOVER type than the
crosswalk gives (the PLOVER manual outranks the crosswalk where they disagree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataFileError, InputError
from .patterns import PatternSet

_LINE = re.compile(r"^(\d{2,4}):\s*([^#]*?)\s*(?:#\s*(.*))?$")


@dataclass(frozen=True)
class CrosswalkCode:
    """One code line of the crosswalk."""

    cameo: str
    event_type: str
    mode: str | None
    context: tuple[str, ...]
    description: str
    line: int


def read_crosswalk(path: str | Path) -> list[CrosswalkCode]:
    """The 3- and 4-digit codes of a crosswalk file, first line of each code kept.

    Raises InputError (EW101) when the file cannot be read, DataFileError (EW110, file:line) on a
    code line without a PLOVER type.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the crosswalk ({exc.strerror or exc}); give its path with "
                         "--crosswalk") from exc
    found: dict[str, CrosswalkCode] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        m = _LINE.match(raw.strip())
        if not m:
            continue
        code, body, description = m.group(1), m.group(2), (m.group(3) or "").strip()
        if len(code) == 2:
            continue  # a family heading
        parts = [p.strip() for p in body.split(",")]
        if not parts or not re.fullmatch(r"[A-Z]+", parts[0]):
            raise DataFileError(f"{path}:{n}: code {code} has no PLOVER type (expected 'CODE: TYPE, mode, context')")
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        context = tuple(c.strip() for c in parts[2].split(";") if c.strip()) if len(parts) > 2 else ()
        found.setdefault(code, CrosswalkCode(code, parts[0], mode, context, description, n))
    return list(found.values())


def pattern_codes(patterns: PatternSet) -> dict[str, set[str]]:
    """CAMEO code -> the PLOVER types the patterns code it with (pattern codes and by-object codes)."""
    out: dict[str, set[str]] = {}
    for p in patterns.patterns:
        out.setdefault(p.cameo, set()).add(p.event_type)
        for entry in p.codes:
            out.setdefault(entry.cameo, set()).add(p.event_type)
    return out


def coverage(crosswalk: list[CrosswalkCode], patterns: PatternSet) -> dict[str, Any]:
    """Per PLOVER type of the crosswalk: its codes, how many a pattern carries, the missing ones."""
    have = pattern_codes(patterns)
    per_type: dict[str, dict[str, Any]] = {}
    for code in crosswalk:
        entry = per_type.setdefault(code.event_type, {"total": 0, "covered": 0, "missing": [], "differs": []})
        entry["total"] += 1
        types = have.get(code.cameo)
        if not types:
            entry["missing"].append(code.cameo)
            continue
        entry["covered"] += 1
        if code.event_type not in types:
            entry["differs"].append({"cameo": code.cameo, "crosswalk": code.event_type, "patterns": sorted(types)})
    return {
        "cameo_codes_total": sum(e["total"] for e in per_type.values()),
        "cameo_codes_covered": sum(e["covered"] for e in per_type.values()),
        "per_type": per_type,
    }
