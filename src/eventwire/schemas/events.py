"""Schemas of the events stage's knowledge files: patterns, rewrites, grammar words and ontology.

Pydantic models (unknown keys are errors) give each file's shape; the check functions add the
cross-checks that need the ontology: a pattern's or rewrite's type exists, its mode exists for
that type, CAMEO codes have 2-4 digits and belong to the type's family, lexicon names, sector
classes and sector codes exist, contexts exist. The cross-checks read the bundled ontology files
(``ontology/plover.yaml``, ``ontology/sectors.yaml``) through the default Resources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator

from .core import Strict, Word

Cameo = Annotated[str, Field(pattern=r"^\d{2,4}$")]
Code = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
TypeName = Annotated[str, Field(pattern=r"^[A-Za-z_]+$")]
Modality = Annotated[str, Field(pattern=r"^(asserted|future|hypothetical|negated)$")]
# argument slots the rules implement (see the pattern file's header), or prep:P / governor_prep:P
Slot = Annotated[str, Field(pattern=r"^(subj|obj|of_obj|owner|governor_subj|discourse|dative|xcomp_obj|of_self"
                                    r"|ccomp_subj|purpose_obj|(governor_)?prep:[a-z]+)$")]
Words = Word | list[Word]  # a lexicon name (or one word), or a list of words


# ---------------------------------------------------------------- patterns/events.yaml
class Lexicon(BaseModel):
    """The pattern file's lexicons: any named word lists, plus those the rules read by name."""

    model_config = ConfigDict(extra="allow")

    disasters: list[Word]
    non_agents: list[Word]
    documents: list[Word]
    charge_words: list[Word]
    cause_nouns: list[Word]
    measure_nouns: list[Word]
    peacekeeping: list[Word]
    capacity_verbs: list[Word]
    readiness: list[Word]
    light_nouns: list[Word]
    meeting_verbs: list[Word]

    @model_validator(mode="after")
    def _lists(self) -> Lexicon:
        for name, value in (self.model_extra or {}).items():
            if name == "weapons":
                raise ValueError("the lexicon 'weapons' is the one weapon list of ontology/weapons.yaml; "
                                 "remove it here and edit that file")
            if not (isinstance(value, list) and all(isinstance(w, str) and w.strip() for w in value)):
                raise ValueError(f"lexicon {name!r} must be a list of words")
        return self


class ObjectCodeEntry(Strict):
    """A by-object reading: when the trigger's phrase holds one of ``words``, this CAMEO code (mode, contexts)."""

    words: Words
    cameo: Cameo
    also: Words | None = None
    mode: Word | None = None
    context: list[Word] | None = None


class PatternEntry(Strict):
    rule: Word
    event_type: TypeName
    pos: Literal["VERB", "NOUN", "ANY"]
    lemmas: Words
    mode: Word | None = None
    cameo: Cameo | None = None
    particle: Words | None = None
    particle_for: dict[str, Words] | None = None
    no_particle: Words | None = None
    object: Words | None = None
    not_object: Words | None = None
    object_for: dict[str, Words] | None = None
    needs_object: bool | Words | None = None
    needs_target: Words | None = None
    xcomp: Words | None = None
    xcomp_not: Words | None = None
    governed_by: Words | None = None
    nominal_needs_args: bool = True
    source: list[Slot] | None = None
    target: list[Slot] | None = None
    ccomp_aux: Words | None = None
    modifier: Words | None = None
    purpose: Words | None = None
    context: list[Word] | None = None
    codes: Word | list[ObjectCodeEntry] | None = None  # a list, or the name of a table of patterns/codebook.yaml


class ActorTest(Strict):
    """An actor passes when any field is in the named class (ontology/sectors.yaml) or the list."""

    sector: Word | list[Code] | None = None
    country: Word | list[Code] | None = None
    kind: Word | list[Word] | None = None


class When(Strict):
    event_type: list[TypeName] | None = None
    mode: list[Word | None] | None = None
    modality: list[Modality] | None = None
    pattern: list[Word] | None = None
    trigger: Words | None = None
    condition: Literal["any"] | list[Word] | None = None
    reported: bool | None = None
    source: bool | None = None
    target: bool | None = None
    source_any: ActorTest | None = None
    source_all: ActorTest | None = None
    target_all: ActorTest | None = None
    preparing: Word | None = None
    auxiliary: Words | None = None
    mentions: Word | None = None
    own_forces: bool | None = None


class ModeCameo(Strict):
    mode: Word | None = None
    cameo: Cameo | None = None


class Then(Strict):
    event_type: TypeName | None = None
    mode: Word | None = None
    cameo: Cameo | None = None
    modality: Modality | None = None
    rule: Annotated[str, Field(pattern=r"^\{(pattern|rule)\}\S*$")] | None = None
    by_type: dict[TypeName, ModeCameo] | None = None
    codes: Word | None = None


class Rewrite(Strict):
    name: Word
    when: When = When()
    then: Then


class TypeClasses(BaseModel):
    """Named classes of PLOVER types; the built-in rules read attacks, violence and meetings."""

    model_config = ConfigDict(extra="allow")

    attacks: list[TypeName]
    violence: list[TypeName]
    meetings: list[TypeName]


class Unidentified(Strict):
    text: Word
    name: Word
    sector: Code
    not_modes: list[Word] = []


class ContinuingReading(Strict):
    event_type: TypeName
    mode: Word | None = None


class Continuations(Strict):
    into: TypeName
    readings: list[ContinuingReading]


class PatternFile(Strict):
    """patterns/events.yaml: lexicons, support verbs, patterns, mode cues, type classes and rewrites."""

    lexicon: Lexicon
    support_verbs: list[Word] = []
    patterns: list[PatternEntry]
    modes: dict[TypeName, dict[Word, list[Word]]] = {}
    type_classes: TypeClasses
    unidentified_perpetrator: Unidentified
    continuations: Continuations
    rewrites: dict[Word, list[Rewrite]] = {}


class MorePatternsFile(Strict):
    """patterns/codebook.yaml: further lexicons and patterns, read after events.yaml."""

    lexicon: dict[Word, list[Word]] = {}
    code_tables: dict[Word, list[ObjectCodeEntry]] = {}
    patterns: list[PatternEntry]


def _ontology() -> tuple[dict[str, Any], dict[str, Any]]:
    from ..resources import default_resources

    res = default_resources()
    return res.yaml("ontology/plover.yaml"), res.yaml("ontology/sectors.yaml")


def _errors(exc: ValidationError) -> list[tuple[tuple, str]]:
    from . import _message

    return [(tuple(e["loc"]), _message(e)) for e in exc.errors()]


def _family_ok(cameo: str, etype: str, plover: dict[str, Any]) -> bool:
    entry = plover[etype]
    return cameo[:2] in (entry.get("families") or [str(entry["cameo"])[:2]])


def _type_checks(plover: dict[str, Any], found: list[tuple[tuple, str]]
                 ) -> tuple[Callable[..., bool], Callable[..., None], Callable[..., None]]:
    """Checks that append to ``found``: a type exists, a mode is of its type, a CAMEO code is of its family."""

    def type_ok(loc: tuple, etype: str) -> bool:
        if etype not in plover:
            found.append((loc, f"unknown PLOVER type {etype!r}; use one of {', '.join(plover)} "
                               "(or add it to ontology/plover.yaml)"))
            return False
        return True

    def mode_ok(loc: tuple, etype: str, mode: str | None) -> None:
        if mode is not None and mode not in (plover[etype].get("modes") or {}):
            found.append((loc, f"mode {mode!r} is not a mode of {etype}; use one of "
                               f"{', '.join(plover[etype].get('modes') or {}) or '(none)'} or add it to ontology/plover.yaml"))

    def cameo_ok(loc: tuple, etype: str, cameo: str | None) -> None:
        if cameo is not None and not _family_ok(str(cameo), etype, plover):
            found.append((loc, f"CAMEO {cameo} is not in the family of {etype} "
                               f"({', '.join(plover[etype].get('families') or [str(plover[etype]['cameo'])[:2]])}); "
                               "fix the code or the type's `families` in ontology/plover.yaml"))

    return type_ok, mode_ok, cameo_ok


def _known_contexts() -> set[str]:
    from ..resources import default_resources

    return set(default_resources().yaml("ontology/contexts.yaml").get("cues") or {})


def _code_tables() -> dict[str, Any]:
    from ..resources import default_resources

    return dict(default_resources().yaml("patterns/codebook.yaml").get("code_tables") or {})


def _check_entries(entries: list[dict[str, Any]], plover: dict[str, Any], found: list[tuple[tuple, str]],
                   tables: dict[str, Any] | None = None) -> dict[str, int]:
    """Cross-checks of pattern entries (unique rule names, type, mode, CAMEO family, contexts, code tables);
    rule -> index. ``tables``: the code tables (default: those of the bundled patterns/codebook.yaml)."""
    type_ok, mode_ok, cameo_ok = _type_checks(plover, found)
    contexts = _known_contexts()
    tables = _code_tables() if tables is None else tables

    def context_ok(loc: tuple, names: list[str] | None) -> None:
        for j, name in enumerate(names or ()):
            if name not in contexts:
                found.append((loc + (j,), f"unknown context {name!r}; add cue words for it to ontology/contexts.yaml"))

    rules: dict[str, int] = {}
    for i, raw in enumerate(entries):
        loc = ("patterns", i)
        if raw["rule"] in rules:
            found.append((loc + ("rule",), f"duplicate rule name {raw['rule']!r} (also pattern #{rules[raw['rule']] + 1}); "
                                           "rename one"))
        rules.setdefault(raw["rule"], i)
        if type_ok(loc + ("event_type",), raw["event_type"]):
            mode_ok(loc + ("mode",), raw["event_type"], raw.get("mode"))
            cameo_ok(loc + ("cameo",), raw["event_type"], raw.get("cameo"))
            context_ok(loc + ("context",), raw.get("context"))
            codes = raw.get("codes") or ()
            if isinstance(codes, str):
                if codes not in tables:
                    found.append((loc + ("codes",), f"unknown code table {codes!r}; add it under `code_tables:` "
                                                    "of patterns/codebook.yaml"))
                codes = tables.get(codes) or ()
            for j, code in enumerate(codes):
                mode_ok(loc + ("codes", j, "mode"), raw["event_type"], code.get("mode"))
                cameo_ok(loc + ("codes", j, "cameo"), raw["event_type"], code.get("cameo"))
                context_ok(loc + ("codes", j, "context"), code.get("context"))
    return rules


def check_more_patterns(data: Any) -> list[tuple[tuple, str]]:
    """patterns/codebook.yaml: the model, then the cross-checks of the patterns of events.yaml."""
    try:
        MorePatternsFile.model_validate(data)
    except ValidationError as exc:
        return _errors(exc)
    plover, _ = _ontology()
    found: list[tuple[tuple, str]] = []
    _check_entries(data["patterns"], plover, found, dict(data.get("code_tables") or {}))
    return found


def check_patterns(data: Any) -> list[tuple[tuple, str]]:
    """patterns/events.yaml: the model, then the cross-checks against the PLOVER and sector files."""
    try:
        PatternFile.model_validate(data)
    except ValidationError as exc:
        return _errors(exc)
    plover, sectors = _ontology()
    lexicon = set(data["lexicon"]) | {"weapons"}
    found: list[tuple[tuple, str]] = []

    type_ok, mode_ok, cameo_ok = _type_checks(plover, found)

    def lexicon_ok(loc: tuple, name: str) -> None:
        if name not in lexicon:
            found.append((loc, f"unknown lexicon {name!r}; add it under `lexicon:` or fix the name"))

    rules = _check_entries(data["patterns"], plover, found)
    for etype, table in (data.get("modes") or {}).items():
        if type_ok(("modes", etype), etype):
            for mode in table:
                mode_ok(("modes", etype, mode), etype, mode)
    classes = data.get("type_classes") or {}
    for name, types in classes.items():
        for j, etype in enumerate(types):
            type_ok(("type_classes", name, j), etype)
    cont = data["continuations"]
    type_ok(("continuations", "into"), cont["into"])
    for j, r in enumerate(cont["readings"]):
        if type_ok(("continuations", "readings", j, "event_type"), r["event_type"]):
            mode_ok(("continuations", "readings", j, "mode"), r["event_type"], r.get("mode"))
    unknown = data["unidentified_perpetrator"]
    if unknown["sector"] not in (sectors.get("sectors") or {}):
        found.append((("unidentified_perpetrator", "sector"), f"unknown sector {unknown['sector']!r}; "
                                                             "add it to ontology/sectors.yaml"))
    sector_classes = set(sectors.get("classes") or {})
    codes = set(sectors.get("sectors") or {})
    kinds = set(sectors.get("kinds") or {})
    # actor fields (sector, country, kind) -> the class names they may use
    class_names = dict(zip(ActorTest.model_fields, (sector_classes, {"organisation_codes"}, kinds), strict=True))
    for step, items in (data.get("rewrites") or {}).items():
        for i, raw in enumerate(items):
            loc = ("rewrites", step, i)
            when, then = raw.get("when") or {}, raw["then"]
            for j, etype in enumerate(when.get("event_type") or ()):
                if etype not in classes:
                    type_ok(loc + ("when", "event_type", j), etype)
            for j, name in enumerate(when.get("pattern") or ()):
                if name not in rules:
                    found.append((loc + ("when", "pattern", j), f"no pattern has the rule name {name!r}; fix the name"))
            for key in ("preparing", "mentions"):
                if when.get(key):
                    lexicon_ok(loc + ("when", key), when[key])
            if isinstance(when.get("trigger"), str):
                lexicon_ok(loc + ("when", "trigger"), when["trigger"])
            if isinstance(when.get("auxiliary"), str):
                lexicon_ok(loc + ("when", "auxiliary"), when["auxiliary"])
            if then.get("codes") and then["codes"] not in _code_tables():
                found.append((loc + ("then", "codes"), f"unknown code table {then['codes']!r}; add it under "
                                                       "`code_tables:` of patterns/codebook.yaml"))
            for key in ("source_any", "source_all", "target_all"):
                for field, value in (when.get(key) or {}).items():
                    where = loc + ("when", key, field)
                    if isinstance(value, str):
                        known = class_names[field]
                        if value not in known:
                            found.append((where, f"unknown {field} class {value!r}; use one of {', '.join(sorted(known))} "
                                                 "(ontology/sectors.yaml)"))
                    elif field == "sector":
                        for code in value:
                            if code not in codes:
                                found.append((where, f"unknown sector {code!r}; add it to ontology/sectors.yaml"))
            new_type = then.get("event_type")
            if new_type is not None and not type_ok(loc + ("then", "event_type"), new_type):
                continue
            if new_type is not None:
                mode_ok(loc + ("then", "mode"), new_type, then.get("mode"))
                cameo_ok(loc + ("then", "cameo"), new_type, then.get("cameo"))
                for old, mc in (then.get("by_type") or {}).items():
                    type_ok(loc + ("then", "by_type", old), old)
                    mode_ok(loc + ("then", "by_type", old, "mode"), new_type, mc.get("mode"))
                    cameo_ok(loc + ("then", "by_type", old, "cameo"), new_type, mc.get("cameo"))
    return found


# ---------------------------------------------------------------- patterns/grammar.yaml
def _grammar_model() -> type[BaseModel]:
    from ..events.syntax import Grammar

    return create_model("GrammarFile", __base__=Strict, **{f.name: (list[Word], ...) for f in fields(Grammar)})


def check_grammar(data: Any) -> list[tuple[tuple, str]]:
    """patterns/grammar.yaml: every function-word class of events.syntax.Grammar, as a word list."""
    try:
        _grammar_model().model_validate(data)
    except ValidationError as exc:
        return _errors(exc)
    return []


# ---------------------------------------------------------------- patterns/participants.yaml
class ArticleCountry(Strict):
    min_mentions: Annotated[float, Field(ge=1)]
    min_lead: Annotated[float, Field(ge=1)]
    lead_weight: Annotated[float, Field(ge=1)]


class SymmetricActs(Strict):
    event_type: TypeName
    not_modes: list[Word] = []


class ImpliedSource(Strict):
    event_type: TypeName
    modes: list[Word] | None = None
    lemmas: list[Word] | None = None
    text: Word
    name: Word
    sector: Code


class UnknownSource(Strict):
    text: Word
    name: Word
    sector: Code


class OneEvent(Strict):
    prefer: list[TypeName] = []


class ParticipantsFile(Strict):
    """patterns/participants.yaml: the article's country, symmetric acts, implied and unknown sources,
    one event per act."""

    article_country: ArticleCountry
    symmetric: list[SymmetricActs] = []
    implied_sources: list[ImpliedSource] = []
    unknown_source: UnknownSource
    one_event: OneEvent = OneEvent()


def check_participants(data: Any) -> list[tuple[tuple, str]]:
    """patterns/participants.yaml: the model, then types, modes and sectors against the ontology."""
    try:
        ParticipantsFile.model_validate(data)
    except ValidationError as exc:
        return _errors(exc)
    plover, sectors = _ontology()
    codes = set(sectors.get("sectors") or {})
    found: list[tuple[tuple, str]] = []
    for key in ("symmetric", "implied_sources"):
        for i, entry in enumerate(data.get(key) or []):
            etype = entry["event_type"]
            if etype not in plover:
                found.append(((key, i, "event_type"), f"unknown PLOVER type {etype!r}; use one of {', '.join(plover)}"))
                continue
            modes = plover[etype].get("modes") or {}
            found += [((key, i, field, j), f"mode {m!r} is not a mode of {etype}; use one of {', '.join(modes) or '(none)'}")
                      for field in ("modes", "not_modes") for j, m in enumerate(entry.get(field) or []) if m not in modes]
    found += [(("one_event", "prefer", i), f"unknown PLOVER type {t!r}; use one of {', '.join(plover)}")
              for i, t in enumerate((data.get("one_event") or {}).get("prefer") or []) if t not in plover]
    for loc, entry in [(("implied_sources", i), e) for i, e in enumerate(data.get("implied_sources") or [])] + [
            (("unknown_source",), data["unknown_source"])]:
        if entry["sector"] not in codes:
            found.append((loc + ("sector",), f"unknown sector {entry['sector']!r}; add it to ontology/sectors.yaml"))
    return found


# ---------------------------------------------------------------- ontology files
class WeaponsFile(Strict):
    """ontology/weapons.yaml: the one weapon list."""

    weapons: list[Word]


class ContextsFile(Strict):
    """ontology/contexts.yaml: cue words per PLOVER context, contexts implied by sectors and by groups."""

    cues: dict[Word, list[Word]]
    sectors: dict[Word, list[Code]] = {}
    groups_imply: dict[Code, Word] = {}


def check_contexts(data: Any) -> list[tuple[tuple, str]]:
    try:
        ContextsFile.model_validate(data)
    except ValidationError as exc:
        return _errors(exc)
    _, sectors = _ontology()
    codes = set(sectors.get("sectors") or {})
    found = []
    for ctx, secs in (data.get("sectors") or {}).items():
        if ctx not in data["cues"]:
            found.append((("sectors", ctx), f"unknown context {ctx!r}; add cue words for it under `cues:`"))
        found += [(("sectors", ctx, j), f"unknown sector {s!r}; add it to ontology/sectors.yaml")
                  for j, s in enumerate(secs) if s not in codes]
    found += [(("groups_imply", code), f"unknown context {ctx!r}; add cue words for it under `cues:`")
              for code, ctx in (data.get("groups_imply") or {}).items() if ctx not in data["cues"]]
    return found


class AcledRule(Strict):
    label: Word | None
    event_type: TypeName | list[TypeName] | None = None
    mode: Word | list[Word | None] | None = None
    trigger: Words | None = None
    words: list[Word] | None = None
    not_words: list[Word] | None = None
    source: Word | list[Word] | None = None
    target: Word | list[Word] | None = None
    not_source: Word | list[Word] | None = None
    not_target: Word | list[Word] | None = None
    killed: bool | None = None


class AcledRefine(Strict):
    label: Word
    from_: Annotated[Word | list[Word], Field(alias="from")]
    words: list[Word] | None = None
    not_words: list[Word] | None = None
    also_words: list[Word] | None = None
    side: Word | None = None
    all_sides: bool | None = None
    snippet_only: bool | None = None


class AcledCue(Strict):
    words: list[Word]
    weight: float = 1
    weak_words: list[Word] | None = None
    weak_weight: float | None = None


class SnippetVotes(Strict):
    event_weight: float = Field(4.0, ge=0)
    tentative_share: float = Field(0.5, ge=0, le=1)
    order_decay: float = Field(0.5, ge=0)


class AcledFile(Strict):
    """ontology/acled.yaml: the PLOVER -> ACLED mapping (see the file's header)."""

    labels: dict[Word, Annotated[list[Word], Field(min_length=2, max_length=2)]]
    non_acled_labels: list[Word] = []
    killed_kinds: list[Word] = []
    snippet_votes: SnippetVotes = SnippetVotes()
    sectors: dict[Word, list[Code]] = {}
    event_rules: list[AcledRule] = []
    sides: dict[Word, list[Word]] = {}
    refine: list[AcledRefine] = []
    cues: dict[Word, AcledCue] = {}


SCHEMAS = {
    "patterns/events.yaml": check_patterns,
    "patterns/codebook.yaml": check_more_patterns,
    "patterns/grammar.yaml": check_grammar,
    "patterns/participants.yaml": check_participants,
    "ontology/weapons.yaml": WeaponsFile,
    "ontology/contexts.yaml": check_contexts,
    "ontology/acled.yaml": AcledFile,
}
