"""Readings: the type, mode, CAMEO code, modality and rule of a built event.

A pattern gives a reading; the declared ``rewrites:`` of the pattern file (``data/patterns/events.yaml``)
then turn it into what PLOVER codes for intentions, refusals, threats, preparations and the kinds of
act that depend on who acts on whom. :class:`Rewrites` is the generic mechanism: ordered steps, in
each step the first rule whose conditions hold applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.tokens import Token

from ..attributes.modality import REPORTING_VERBS, modality_of
from ..model import Actor
from .syntax import collective_heads

if TYPE_CHECKING:
    from .patterns import ObjectCode, Pattern, Sectors

_ACTOR_FIELDS = ("sector", "country", "kind")


@dataclass
class Reading:
    event_type: str
    mode: str | None
    cameo: str
    modality: str
    rule: str
    context: tuple[str, ...] = ()


@dataclass
class _Facts:
    """What the conditions of a rewrite read about one event; the costly ones computed on demand."""

    tok: Token
    gov: Token | None
    pattern: Pattern
    source: list[Actor]
    target: list[Actor]
    condition_marks: frozenset[str]
    _condition: str | None = None

    @property
    def condition(self) -> str:
        if self._condition is None:
            self._condition = condition_mark(self.tok, self.gov, self.condition_marks)
        return self._condition


ActorTest = tuple[tuple[str, frozenset[str]], ...]


def _passes(actor: Actor, test: ActorTest) -> bool:
    return any(getattr(actor, name) in values for name, values in test)


@dataclass(frozen=True)
class Rewrite:
    """One declared rewrite: conditions (``when``) and the new reading (``then``)."""

    step: str
    name: str
    checks: tuple[Callable[[Reading, _Facts], bool], ...]
    then: dict[str, Any]
    by_type: dict[str, dict[str, Any]]
    rule: str | None
    codes: tuple[ObjectCode, ...] = ()

    def apply(self, r: Reading, pattern_rule: str, tok: Token | None = None) -> Reading:
        new = {**self.then, **self.by_type.get(r.event_type, {})}
        code = phrase_code(tok, self.codes) if self.codes and tok is not None else None
        if code is not None:
            new.update({"cameo": code.cameo, **({"mode": code.mode} if code.mode else {})})
        return Reading(
            event_type=new.get("event_type", r.event_type),
            mode=new.get("mode", r.mode),
            cameo=str(new.get("cameo", r.cameo)),
            modality=new.get("modality", r.modality),
            rule=self.rule.format(pattern=pattern_rule, rule=r.rule) if self.rule else r.rule,
            context=r.context,
        )


class Rewrites:
    """The ``rewrites:`` steps of the pattern file, compiled once."""

    def __init__(self, steps: list[list[Rewrite]]) -> None:
        self.steps = steps

    @classmethod
    def from_data(cls, data: dict[str, Any], lexicon: dict[str, frozenset[str]], sectors: Sectors,
                  code_table: Callable[[str], tuple[ObjectCode, ...]] = lambda name: ()) -> Rewrites:
        type_classes = {k: frozenset(v) for k, v in (data.get("type_classes") or {}).items()}

        def types(value: Any) -> frozenset[str]:
            out: set[str] = set()
            for t in value if isinstance(value, list) else [value]:
                out |= type_classes.get(t, {t})
            return frozenset(out)

        def words(value: Any) -> frozenset[str]:
            if isinstance(value, str):
                return lexicon[value]
            return frozenset(str(w).lower() for w in value)

        classes = dict(zip(_ACTOR_FIELDS, (sectors.classes, {"organisation_codes": sectors.organisation_codes},
                                           sectors.kinds), strict=True))

        def actor_test(spec: dict[str, Any]) -> ActorTest:
            out = []
            for name in _ACTOR_FIELDS:
                if name not in spec:
                    continue
                value = spec[name]
                if isinstance(value, str):  # a class name: sector classes, kind classes, organisation codes
                    out.append((name, classes[name][value]))
                else:
                    out.append((name, frozenset(str(v) for v in value)))
            return tuple(out)

        steps = []
        for step, rules in (data.get("rewrites") or {}).items():
            compiled = []
            for raw in rules:
                compiled.append(Rewrite(str(step), str(raw["name"]), _checks(raw.get("when") or {}, types, words,
                                                                             actor_test),
                                        {k: v for k, v in (raw.get("then") or {}).items()
                                         if k not in ("by_type", "rule", "codes")},
                                        dict((raw.get("then") or {}).get("by_type") or {}),
                                        (raw.get("then") or {}).get("rule"),
                                        code_table((raw.get("then") or {})["codes"])
                                        if (raw.get("then") or {}).get("codes") else ()))
            steps.append(compiled)
        return cls(steps)

    def apply(self, reading: Reading, facts: _Facts) -> Reading:
        for step in self.steps:
            for rewrite in step:
                if all(check(reading, facts) for check in rewrite.checks):
                    reading = rewrite.apply(reading, facts.pattern.rule, facts.tok)
                    break
        return reading


def _checks(when: dict[str, Any], types: Callable, words: Callable, actor_test: Callable
            ) -> tuple[Callable[[Reading, _Facts], bool], ...]:
    """The conditions of a rewrite as predicates over (reading so far, facts of the event)."""
    checks: list[Callable[[Reading, _Facts], bool]] = []
    if "event_type" in when:
        wanted_types = types(when["event_type"])
        checks.append(lambda r, f: r.event_type in wanted_types)
    if "mode" in when:
        modes = frozenset(when["mode"] if isinstance(when["mode"], list) else [when["mode"]])
        checks.append(lambda r, f: r.mode in modes)
    if "modality" in when:
        modalities = frozenset(when["modality"] if isinstance(when["modality"], list) else [when["modality"]])
        checks.append(lambda r, f: r.modality in modalities)
    if "pattern" in when:
        rules = frozenset(when["pattern"] if isinstance(when["pattern"], list) else [when["pattern"]])
        checks.append(lambda r, f: f.pattern.rule in rules)
    for role in ("source", "target"):
        if role in when:
            present = bool(when[role])
            checks.append(lambda r, f, role=role, present=present: bool(getattr(f, role)) == present)
    if "source_any" in when:
        test = actor_test(when["source_any"])
        checks.append(lambda r, f: any(_passes(a, test) for a in f.source))
    for key, role in (("source_all", "source"), ("target_all", "target")):
        if key in when:
            test = actor_test(when[key])
            checks.append(lambda r, f, role=role, test=test: bool(getattr(f, role))
                          and all(_passes(a, test) for a in getattr(f, role)))
    if "trigger" in when:
        lemmas = words(when["trigger"])
        checks.append(lambda r, f: f.tok.lemma_.lower() in lemmas)
    if "condition" in when:
        marks = None if when["condition"] == "any" else frozenset(when["condition"])
        checks.append(lambda r, f: bool(f.condition) and (marks is None or f.condition in marks))
    if when.get("reported") is not None:
        reported = bool(when["reported"])
        checks.append(lambda r, f: any(a.lemma_.lower() in REPORTING_VERBS for a in f.tok.ancestors) == reported)
    if "preparing" in when:
        readiness = words(when["preparing"])
        checks.append(lambda r, f: preparing(f.tok, readiness))
    if "auxiliary" in when:
        auxes = words(when["auxiliary"])
        checks.append(lambda r, f: auxiliary(f.tok, f.gov, auxes))
    if "mentions" in when:
        mentioned = words(when["mentions"])
        checks.append(lambda r, f: mentions(f.tok, mentioned))
    if when.get("own_forces") is not None:
        own = bool(when["own_forces"])
        checks.append(lambda r, f: (not {a.country for a in f.target if a.country}
                                    - {a.country for a in f.source}) == own)
    return tuple(checks)


def condition_mark(tok: Token, gov: Token | None, marks: frozenset[str]) -> str:
    """The mark ('if', 'unless') of a condition clause attached to the trigger or its governing verb."""
    for head in (tok, gov):
        if head is None:
            continue
        for child in head.children:
            if child.dep_ == "advcl":
                found = [m.lower_ for m in child.children if m.dep_ == "mark" and m.lower_ in marks]
                if found:
                    return found[0]
    return ""


def preparing(tok: Token, readiness: frozenset[str]) -> bool:
    """True when the trigger is the infinitive of a verb or adjective of readiness ("prepared to shell")."""
    t = tok
    while t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
        t = t.head
        if t.lemma_.lower() in readiness:
            return True
    return False


def auxiliary(tok: Token, gov: Token | None, auxes: frozenset[str]) -> bool:
    """True when the trigger, its governing verb or the verbs that control it (xcomp chain) take one
    of these auxiliaries ("would not release", "will never accept")."""
    chain = [tok] + ([gov] if gov is not None else [])
    t = chain[-1]
    while t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
        t = t.head
        chain.append(t)
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in auxes for t in chain for c in t.children)


def mentions(tok: Token, words: frozenset[str]) -> bool:
    """True when the trigger's own phrase (object, of-phrase, compounds, modifiers) contains one of the words."""
    return any(child.dep_ in ("dobj", "nsubjpass", "prep", "compound", "amod", "nmod", "poss")
               and any(t.lemma_.lower() in words or t.lower_ in words for t in child.subtree)
               for child in tok.children)


_PHRASE_DEPS = frozenset({"dobj", "nsubjpass", "prep", "compound", "amod", "nmod", "xcomp", "ccomp", "attr", "acomp",
                          "npadvmod", "pobj", "dative", "oprd", "advcl", "acl", "agent", "advmod"})


def object_code(tok: Token, p: Pattern) -> ObjectCode | None:
    """The first by-object code of a pattern whose words occur in the trigger's own phrase (its object,
    prepositional phrases, compounds, modifiers, controlled clause; the head of a compound trigger):
    "demanded humanitarian aid"."""
    return phrase_code(tok, p.codes)


def phrase_code(tok: Token, codes: tuple[ObjectCode, ...]) -> ObjectCode | None:
    """The first of ``codes`` whose words occur in the trigger's own phrase (see :func:`object_code`)."""
    words = {tok.lemma_.lower(), tok.lower_}
    if tok.dep_ == "compound":
        words.add(tok.head.lemma_.lower())  # "an assassination attempt": the head names the act too
    for child in tok.children:
        if child.dep_ in _PHRASE_DEPS:
            prev = ""
            for t in child.subtree:
                lemma = t.lemma_.lower()
                words |= {lemma, t.lower_}
                if prev:
                    words.add(f"{prev} {lemma}")
                prev = lemma
    return next((c for c in codes if words & c.words and (not c.also or words & c.also)), None)


class ReadingMixin:
    """The reading of a built event (part of the per-article state of :mod:`eventwire.events.extract`)."""

    def _reading(self, tok: Token, p: Pattern, gov: Token | None, scope: set[int], source: list[Actor],
                 target: list[Actor]) -> Reading:
        """The reading of a built event: the pattern's (or its by-object code's), rewritten by the pattern
        file's declared ``rewrites``."""
        mode, cameo, context = p.mode, p.cameo, p.context
        code = object_code(tok, p) if p.codes else None
        if code is not None:
            mode, cameo = code.mode or mode, code.cameo
            context = context + tuple(c for c in code.context if c not in context)
        reading = Reading(p.event_type, mode or self._mode(tok, p.event_type, scope), cameo,
                          modality_of(tok, gov), p.rule, context)
        rewrites = self.p.rewrites
        if rewrites is not None:
            reading = rewrites.apply(reading, _Facts(tok, gov, p, source, target, self.p.grammar.condition_marks))
        return reading

    def _mode(self, tok: Token, event_type: str, scope: set[int]) -> str | None:
        table = self.p.modes.get(event_type)
        if not table:
            return None
        own = {tok.lemma_.lower(), tok.lower_}
        if tok.i > 0:
            own.add(f"{self.doc[tok.i - 1].lower_} {tok.lemma_.lower()}")
        near = set(own)
        heads = list(collective_heads(tok)) if tok.pos_ in ("NOUN", "PROPN") else [tok]
        for child in (c for h in heads for c in h.children if h.i == tok.i or c.lower_ in ("by", "with")):
            if child.dep_ in ("compound", "amod", "dobj", "nsubj", "nsubjpass", "agent", "prep", "npadvmod"):
                for t in child.subtree:
                    near |= {t.lemma_.lower(), t.lower_}
        clause: set[str] = set()
        for i in scope:
            t = self.doc[i]
            clause |= {t.lemma_.lower(), t.lower_}
            if t.i > 0:
                clause.add(f"{self.doc[t.i - 1].lower_} {t.lemma_.lower()}")
        for cues in (own, near, clause):
            for mode, words in table:
                if cues & words:
                    return mode
        return None
