"""Load and validate the event patterns (``data/patterns/events.yaml``) and the PLOVER ontology."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError
from ..yamlio import load_yaml

PLOVER_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
SLOTS_FIXED = {"subj", "obj", "of_obj", "owner", "governor_subj", "discourse", "dative", "xcomp_obj", "of_self",
               "ccomp_subj", "purpose_obj"}
# word classes the event rules read by name (lexicon section of the pattern file)
REQUIRED_LEXICONS = frozenset({"disasters", "non_agents", "documents", "charge_words", "cause_nouns", "measure_nouns",
                               "peacekeeping", "capacity_verbs", "readiness", "light_nouns"})
KEYS = {
    "rule", "event_type", "mode", "cameo", "pos", "lemmas", "particle", "particle_for", "no_particle", "object",
    "not_object", "object_for", "needs_object", "needs_target", "xcomp", "governed_by", "nominal_needs_args",
    "source", "target", "xcomp_not", "ccomp_aux", "modifier", "purpose",
}


@dataclass(frozen=True)
class Pattern:
    """One trigger pattern: lemmas (single or multi-word) plus constraints and argument slots."""

    rule: str
    event_type: str
    cameo: str
    pos: str
    lemmas: frozenset[str]
    mode: str | None = None
    particle: frozenset[str] = frozenset()
    particle_for: dict[str, frozenset[str]] = field(default_factory=dict)
    no_particle: frozenset[str] = frozenset()
    object: frozenset[str] | None = None
    not_object: frozenset[str] = frozenset()
    object_for: dict[str, frozenset[str]] = field(default_factory=dict)
    needs_object: frozenset[str] = frozenset()
    needs_target: frozenset[str] = frozenset()
    xcomp: frozenset[str] | None = None
    xcomp_not: frozenset[str] = frozenset()
    purpose: frozenset[str] | None = None
    ccomp_aux: frozenset[str] = frozenset()
    governed_by: frozenset[str] | None = None
    modifier: frozenset[str] | None = None
    nominal_needs_args: bool = True
    source: tuple[str, ...] = ("subj",)
    target: tuple[str, ...] = ("obj",)
    # last word of each lemma -> (number of words, lemma): fast matching of multi-word lemmas
    by_last: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)


@dataclass
class PatternSet:
    patterns: list[Pattern]
    lexicon: dict[str, frozenset[str]]
    support_verbs: frozenset[str]
    modes: dict[str, list[tuple[str, frozenset[str]]]]
    ontology: dict[str, dict[str, Any]]
    contexts: dict[str, frozenset[str]] = field(default_factory=dict)
    context_sectors: dict[str, frozenset[str]] = field(default_factory=dict)
    context_countries: dict[str, str] = field(default_factory=dict)
    # index: last word of a lemma -> patterns that may fire on it
    index: dict[str, list[Pattern]] = field(default_factory=dict)

    def score(self, event_type: str, mode: str | None) -> float:
        entry = self.ontology[event_type]
        return float((entry.get("modes") or {}).get(mode, entry["score"])) if mode else float(entry["score"])


def _words(value: Any, lexicon: dict[str, frozenset[str]], where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        if value in lexicon:
            return lexicon[value]
        if value == "any":
            return frozenset({"*"})
        return frozenset({value.lower()})
    if isinstance(value, list):
        out: set[str] = set()
        for item in value:
            out |= _words(item, lexicon, where) if isinstance(item, str) and item in lexicon else {str(item).lower()}
        return frozenset(out)
    raise DataFileError(f"{where}: expected a word list or a lexicon name, got {value!r}")


def _per_lemma(value: Any, lexicon: dict[str, frozenset[str]], where: str) -> dict[str, frozenset[str]]:
    if not value:
        return {}
    if not isinstance(value, dict):
        raise DataFileError(f"{where}: expected a mapping lemma -> words, got {value!r}")
    return {str(k): _words(v, lexicon, where) for k, v in value.items()}


def load_patterns(path: Path | None = None, ontology_path: Path | None = None, contexts_path: Path | None = None) -> PatternSet:
    """Read and validate the pattern file; errors name the file and the rule."""
    base = resources.files("eventwire") / "data"
    ppath = path or base / "patterns" / "events.yaml"
    opath = ontology_path or base / "ontology" / "plover.yaml"
    cpath = contexts_path or base / "ontology" / "contexts.yaml"
    try:
        data = load_yaml(Path(str(ppath)).read_text(encoding="utf-8"))
        ontology = load_yaml(Path(str(opath)).read_text(encoding="utf-8"))
        contexts = load_yaml(Path(str(cpath)).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"cannot read event patterns ({exc}); fix the YAML") from exc
    lexicon = {k: frozenset(str(w).lower() for w in v) for k, v in (data.get("lexicon") or {}).items()}
    patterns: list[Pattern] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("patterns") or []):
        where = f"{ppath}: pattern #{i + 1} ({raw.get('rule', '?') if isinstance(raw, dict) else raw!r})"
        if not isinstance(raw, dict):
            raise DataFileError(f"{where}: each pattern must be a mapping")
        unknown = set(raw) - KEYS
        if unknown:
            raise DataFileError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(KEYS)}")
        for key in ("rule", "event_type", "lemmas", "pos"):
            if key not in raw:
                raise DataFileError(f"{where}: missing '{key}'")
        if raw["event_type"] not in PLOVER_TYPES:
            raise DataFileError(f"{where}: unknown PLOVER type {raw['event_type']!r}")
        if raw["rule"] in seen:
            raise DataFileError(f"{where}: duplicate rule name")
        seen.add(raw["rule"])
        if raw["pos"] not in ("VERB", "NOUN", "ANY"):
            raise DataFileError(f"{where}: pos must be VERB, NOUN or ANY")
        for slot in list(raw.get("source") or []) + list(raw.get("target") or []):
            if slot not in SLOTS_FIXED and not slot.startswith(("prep:", "governor_prep:")):
                raise DataFileError(f"{where}: unknown argument slot {slot!r}")
        needs_object = raw.get("needs_object")
        lemmas = _words(raw["lemmas"], lexicon, where)
        patterns.append(
            Pattern(
                rule=raw["rule"],
                event_type=raw["event_type"],
                cameo=str(raw.get("cameo") or ontology[raw["event_type"]]["cameo"]),
                pos=raw["pos"],
                lemmas=lemmas,
                mode=raw.get("mode"),
                particle=_words(raw.get("particle"), lexicon, where),
                particle_for=_per_lemma(raw.get("particle_for"), lexicon, where),
                no_particle=_words(raw.get("no_particle"), lexicon, where),
                object=_words(raw["object"], lexicon, where) if raw.get("object") else None,
                not_object=_words(raw.get("not_object"), lexicon, where),
                object_for=_per_lemma(raw.get("object_for"), lexicon, where),
                needs_object=lemmas if needs_object is True else _words(needs_object, lexicon, where),
                needs_target=_words(raw.get("needs_target"), lexicon, where),
                xcomp=_words(raw["xcomp"], lexicon, where) if raw.get("xcomp") else None,
                xcomp_not=_words(raw.get("xcomp_not"), lexicon, where),
                purpose=_words(raw["purpose"], lexicon, where) if raw.get("purpose") else None,
                ccomp_aux=_words(raw.get("ccomp_aux"), lexicon, where),
                governed_by=_words(raw["governed_by"], lexicon, where) if raw.get("governed_by") else None,
                modifier=_words(raw["modifier"], lexicon, where) if raw.get("modifier") else None,
                nominal_needs_args=bool(raw.get("nominal_needs_args", True)),
                source=tuple(raw.get("source") or ("subj",)),
                target=tuple(raw.get("target") or ()),
            )
        )
    missing = REQUIRED_LEXICONS - set(lexicon)
    if missing:
        raise DataFileError(f"{ppath}: lexicon lacks {sorted(missing)}; the event rules read these word lists")
    modes: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for etype, table in (data.get("modes") or {}).items():
        if etype not in PLOVER_TYPES:
            raise DataFileError(f"{ppath}: modes: unknown PLOVER type {etype!r}")
        modes[etype] = [(mode, frozenset(str(w).lower() for w in words)) for mode, words in table.items()]
    pset = PatternSet(
        patterns=patterns,
        lexicon=lexicon,
        support_verbs=frozenset(data.get("support_verbs") or ()),
        modes=modes,
        ontology=ontology,
        contexts={k: frozenset(str(w).lower() for w in v) for k, v in (contexts.get("cues") or {}).items()},
        context_sectors={k: frozenset(v) for k, v in (contexts.get("sectors") or {}).items()},
        context_countries=dict(contexts.get("groups_imply") or {}),
    )
    for pattern in patterns:
        by_last: dict[str, list[tuple[int, str]]] = {}
        for lemma in pattern.lemmas:
            by_last.setdefault(lemma.split()[-1], []).append((len(lemma.split()), lemma))
        pattern.by_last.update({k: tuple(v) for k, v in by_last.items()})
        for lemma in pattern.lemmas:
            bucket = pset.index.setdefault(lemma.split()[-1], [])
            if pattern not in bucket:
                bucket.append(pattern)
    return pset
