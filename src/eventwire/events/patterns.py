"""Load the event patterns (``data/patterns/events.yaml`` and ``codebook.yaml``) with the ontology and word classes they use.

Every file is read through :class:`~eventwire.resources.Resources` (validated by the schemas of
:mod:`eventwire.schemas.events`): the patterns and type rewrites, the PLOVER types
(``ontology/plover.yaml``), contexts (``ontology/contexts.yaml``), sector classes
(``ontology/sectors.yaml``), the weapon list (``ontology/weapons.yaml``), the function-word
classes of the rules (``patterns/grammar.yaml``) and the implicit participants
(``patterns/participants.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import DataFileError
from ..resources import Resources, default_resources
from .participants import Participants
from .readings import Rewrites
from .syntax import Grammar

PATTERNS = "patterns/events.yaml"
# further pattern files: their own lexicons and patterns, read after PATTERNS (rule and lexicon names unique)
MORE_PATTERNS = ("patterns/codebook.yaml",)


@dataclass(frozen=True)
class Sectors:
    """Sector classes, organisation codes and kind classes of ``ontology/sectors.yaml``."""

    classes: dict[str, frozenset[str]]
    organisation_codes: frozenset[str]
    kinds: dict[str, frozenset[str]]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Sectors:
        classes = {name: frozenset(str(c) for c in codes) for name, codes in (data.get("classes") or {}).items()}
        return cls(classes, frozenset(data.get("organisation_codes") or ()),
                   {k: frozenset(v) for k, v in (data.get("kinds") or {}).items()})

@dataclass(frozen=True)
class ObjectCode:
    """A by-object reading of a pattern: when the trigger's phrase holds one of ``words``, the event
    takes this CAMEO code (and mode and contexts, when given) instead of the pattern's; with ``also``,
    the phrase must hold one of those words too ("lift" + "sanctions")."""

    words: frozenset[str]
    cameo: str
    also: frozenset[str] = frozenset()
    mode: str | None = None
    context: tuple[str, ...] = ()


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
    context: tuple[str, ...] = ()
    codes: tuple[ObjectCode, ...] = ()
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
    grammar: Grammar | None = None
    sectors: Sectors | None = None
    weapons: frozenset[str] = frozenset()
    rewrites: Rewrites | None = None
    type_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    # the source of an attack with no perpetrator named (actor fields and the modes it is not used for)
    unidentified: dict[str, Any] = field(default_factory=dict)
    # (type an event continues, the (type, mode or None) readings that continue it)
    continues: tuple[str | None, frozenset[tuple[str, str | None]]] = (None, frozenset())
    # participants the text leaves implicit (patterns/participants.yaml)
    participants: Participants | None = None
    # index: last word of a lemma -> patterns that may fire on it
    index: dict[str, list[Pattern]] = field(default_factory=dict)
    # where an unlocated event is set (gazetteer/scoring.yaml, event_setting; events.setting)
    setting: dict[str, Any] = field(default_factory=dict)

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


def _codes(value: Any, tables: dict[str, list[dict[str, Any]]], lexicon: dict[str, frozenset[str]],
           where: str) -> tuple[ObjectCode, ...]:
    """A pattern's by-object codes: a list, or the name of a table under ``code_tables:``."""
    if isinstance(value, str):
        if value not in tables:
            raise DataFileError(f"{where}: unknown code table {value!r}; add it under `code_tables:` of {MORE_PATTERNS[0]}")
        value = tables[value]
    return tuple(ObjectCode(_words(c["words"], lexicon, where), str(c["cameo"]), _words(c.get("also"), lexicon, where),
                            c.get("mode"), tuple(c.get("context") or ())) for c in value or ())


def load_patterns(resources: Resources | None = None) -> PatternSet:
    """Read the pattern file and the files it depends on (validated by their schemas; errors name file:line)."""
    res = resources or default_resources()
    data = res.yaml(PATTERNS)
    ontology = res.yaml("ontology/plover.yaml")
    contexts = res.yaml("ontology/contexts.yaml")
    ppath = res.path(PATTERNS)
    lexicon = {k: frozenset(str(w).lower() for w in v) for k, v in (data.get("lexicon") or {}).items()}
    weapons = res.words("ontology/weapons.yaml", "weapons")
    lexicon["weapons"] = frozenset(str(w).lower() for w in weapons)  # the one weapon list, by name
    raws = [(ppath, i, raw) for i, raw in enumerate(data.get("patterns") or [])]
    for name in MORE_PATTERNS:
        more = res.yaml(name)
        mpath = res.path(name)
        for key, words in (more.get("lexicon") or {}).items():
            if key in lexicon:
                raise DataFileError(f"{mpath}: lexicon {key!r} is also defined in {ppath}; rename one")
            lexicon[key] = frozenset(str(w).lower() for w in words)
        raws += [(mpath, i, raw) for i, raw in enumerate(more.get("patterns") or [])]
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in MORE_PATTERNS:
        tables.update(res.yaml(name).get("code_tables") or {})
    patterns: list[Pattern] = []
    seen_rules: dict[str, str] = {}
    for path, i, raw in raws:
        where = f"{path}: pattern #{i + 1} ({raw.get('rule', '?')})"
        if raw["rule"] in seen_rules:
            raise DataFileError(f"{where}: rule name {raw['rule']!r} is also used in {seen_rules[raw['rule']]}; rename one")
        seen_rules[raw["rule"]] = str(path)
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
                context=tuple(raw.get("context") or ()),
                codes=_codes(raw.get("codes"), tables, lexicon, where),
            )
        )
    modes: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for etype, table in (data.get("modes") or {}).items():
        modes[etype] = [(mode, frozenset(str(w).lower() for w in words)) for mode, words in table.items()]
    sectors = Sectors.from_data(res.yaml("ontology/sectors.yaml"))
    pset = PatternSet(
        patterns=patterns,
        lexicon=lexicon,
        support_verbs=frozenset(data.get("support_verbs") or ()),
        modes=modes,
        ontology=ontology,
        contexts={k: frozenset(str(w).lower() for w in v) for k, v in (contexts.get("cues") or {}).items()},
        context_sectors={k: frozenset(v) for k, v in (contexts.get("sectors") or {}).items()},
        context_countries=dict(contexts.get("groups_imply") or {}),
        grammar=Grammar.from_data(res.yaml("patterns/grammar.yaml")),
        sectors=sectors,
        weapons=weapons,
        rewrites=Rewrites.from_data(data, lexicon, sectors,
                                    lambda name: _codes(name, tables, lexicon, f"{ppath}: rewrites")),
        type_classes={k: frozenset(v) for k, v in (data.get("type_classes") or {}).items()},
        unidentified=dict(data.get("unidentified_perpetrator") or {}),
        setting=dict(res.yaml("gazetteer/scoring.yaml")["event_setting"]),
        participants=Participants.from_data(res.yaml("patterns/participants.yaml")),
        continues=((data.get("continuations") or {}).get("into"),
                   frozenset((r["event_type"], r.get("mode")) for r in (data.get("continuations") or {}).get("readings") or ())),
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
