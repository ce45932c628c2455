"""PLOVER -> ACLED: every coded event gets ACLED's event type and sub-event type.

The mapping is data (``data/ontology/acled.yaml``): ordered rules over PLOVER type, mode,
trigger, actor sectors, counts and sentence words give a short label (``ARMED_CLASH`` ...),
and the label table gives ACLED's official (event_type, sub_event_type).

``classify_snippet`` labels a whole snippet with one of the 25 ACLED labels or one of five
non-ACLED labels (ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO, ATTRIB), combining
the labels of the snippet's events with weighted keyword cues from the same file.

In the pipeline, :class:`AcledTyper` (built from the run's Resources) types the coded events of
one parsed doc: each event is read with its own sentence of the doc.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc

from .errors import DataFileError
from .model import Event
from .nlp import sentences
from .resources import Resources, default_resources
from .yamlio import load_yaml

_DEFAULT = "ontology/acled.yaml"


def _words_regex(words: list[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(str(w).lower()) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?:s|es)?(?![\w-])")


_TOKEN = re.compile(r"[\w-]+")


def _tokens(text: str) -> frozenset[str]:
    """The words of a lower-case text, with plural -s/-es stripped variants (a cheap pre-filter)."""
    toks = set(_TOKEN.findall(text))
    plural = [t for t in toks if t[-1:] == "s"]
    toks.update(t[:-1] for t in plural)
    toks.update(t[:-2] for t in plural if t[-2:] == "es")
    return frozenset(toks)


class _Words:
    """A word list: its regex, and the first word of each phrase so that most texts skip the regex."""

    __slots__ = ("rx", "first")

    def __init__(self, words: list[str]) -> None:
        self.rx = _words_regex(words)
        firsts = [_TOKEN.findall(str(w).lower()) for w in words]
        self.first: frozenset[str] | None = (frozenset(f[0] for f in firsts) if all(firsts) else None)

    def search(self, text: str, toks: frozenset[str] | None = None) -> re.Match[str] | None:
        if toks is not None and self.first is not None and self.first.isdisjoint(toks):
            return None
        return self.rx.search(text)


def _words(raw: dict[str, Any], key: str) -> _Words | None:
    return _Words(raw[key]) if raw.get(key) else None


@dataclass
class _Rule:
    cond: dict[str, Any]
    label: str | None
    words: _Words | None
    not_words: _Words | None
    # conditions compiled once: event types, modes, trigger words, (role, negated, sectors, no-actor-ok)
    types: frozenset[str] | None = None
    modes: frozenset[str | None] | None = None
    triggers: frozenset[str] | None = None
    trigger_stems: tuple[str, ...] = ()
    roles: tuple[tuple[str, bool, frozenset[str], bool], ...] = ()


@dataclass
class _Refine:
    from_labels: set[str]
    label: str
    words: _Words | None
    not_words: _Words | None
    side: str | None
    all_sides: bool
    also_words: _Words | None
    snippet_only: bool


@dataclass
class AcledMapping:
    """The parsed mapping file."""

    labels: dict[str, tuple[str, str]]
    non_acled: list[str]
    sectors: dict[str, set[str]]
    rules: list[_Rule]
    cues: dict[str, tuple[float, re.Pattern[str]]]
    refine: list[_Refine]
    sides: dict[str, re.Pattern[str]]
    weak_cues: dict[str, tuple[float, re.Pattern[str]]]
    # quantity kinds that satisfy `killed: true`
    count_kinds: frozenset[str] = frozenset()
    # snippet votes: an event label's weight, its share when not asserted, its decay by position
    event_weight: float = 4.0
    tentative_share: float = 0.5
    order_decay: float = 0.5
    _by_type: dict[str, list[_Rule]] = field(default_factory=dict)
    _by_label: dict[str, list[_Refine]] = field(default_factory=dict)

    def sector_set(self, names: list[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            out |= self.sectors.get(name, {name})
        return out

    def rules_for(self, event_type: str) -> list[_Rule]:
        """The event rules that can apply to an event type, in file order (computed once per type)."""
        found = self._by_type.get(event_type)
        if found is None:
            found = self._by_type[event_type] = [r for r in self.rules if r.types is None or event_type in r.types]
        return found

    def refine_for(self, label: str) -> list[_Refine]:
        """The refine rules whose ``from`` list holds a label, in file order (computed once per label)."""
        found = self._by_label.get(label)
        if found is None:
            found = self._by_label[label] = [r for r in self.refine if label in r.from_labels]
        return found


def _load(path: Path) -> AcledMapping:
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"ACLED mapping {path} cannot be read: {exc}; fix the YAML") from exc
    return mapping_from(data, str(path))


def mapping_from(data: Any, path: str = _DEFAULT) -> AcledMapping:
    """The compiled mapping of a parsed ``ontology/acled.yaml``."""
    if not isinstance(data, dict) or not isinstance(data.get("labels"), dict):
        raise DataFileError(f"ACLED mapping {path} needs a 'labels' table")
    labels: dict[str, tuple[str, str]] = {}
    for label, pair in data["labels"].items():
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DataFileError(f"ACLED mapping: label {label!r} needs [event_type, sub_event_type]")
        labels[str(label)] = (str(pair[0]), str(pair[1]))
    non_acled = [str(x) for x in data.get("non_acled_labels") or []]
    known = set(labels) | set(non_acled)
    sectors = {str(k): {str(s) for s in v} for k, v in (data.get("sectors") or {}).items()}
    rules: list[_Rule] = []
    for i, raw in enumerate(data.get("event_rules") or []):
        if not isinstance(raw, dict) or "label" not in raw:
            raise DataFileError(f"ACLED mapping: event_rules[{i}] needs a 'label' (or label: null)")
        label = raw["label"]
        if label is not None and label not in known:
            raise DataFileError(f"ACLED mapping: event_rules[{i}] has unknown label {label!r}")
        cond = {k: v for k, v in raw.items() if k not in ("label", "words", "not_words")}
        rules.append(_Rule(cond, label, _words(raw, "words"), _words(raw, "not_words")))
    cues: dict[str, tuple[float, re.Pattern[str]]] = {}
    weak: dict[str, tuple[float, re.Pattern[str]]] = {}
    for label, spec in (data.get("cues") or {}).items():
        if label not in known:
            raise DataFileError(f"ACLED mapping: cues for unknown label {label!r}")
        if not isinstance(spec, dict) or not spec.get("words"):
            raise DataFileError(f"ACLED mapping: cues.{label} needs 'words'")
        cues[str(label)] = (float(spec.get("weight", 1)), _words_regex(spec["words"]))
        if spec.get("weak_words"):
            weak[str(label)] = (float(spec.get("weak_weight", 1)), _words_regex(spec["weak_words"]))
    sides = {str(k): _words_regex(v) for k, v in (data.get("sides") or {}).items() if v}
    refine: list[_Refine] = []
    for i, raw in enumerate(data.get("refine") or []):
        if not isinstance(raw, dict) or raw.get("label") not in known or not raw.get("from"):
            raise DataFileError(f"ACLED mapping: refine[{i}] needs 'from' labels and a known 'label'")
        side = raw.get("side")
        if side is not None and side not in sides:
            raise DataFileError(f"ACLED mapping: refine[{i}] has side {side!r} not listed under 'sides'")
        refine.append(_Refine({str(x) for x in _as_list(raw["from"])}, str(raw["label"]),
                              _words(raw, "words"), _words(raw, "not_words"), side, bool(raw.get("all_sides")),
                              _words(raw, "also_words"), bool(raw.get("snippet_only"))))
    for rule in rules:
        _compile_rule(rule, sectors)
    votes = data.get("snippet_votes") or {}
    return AcledMapping(labels, non_acled, sectors, rules, cues, refine, sides, weak,
                        count_kinds=frozenset(str(k) for k in data.get("killed_kinds") or ()),
                        event_weight=float(votes.get("event_weight", 4.0)),
                        tentative_share=float(votes.get("tentative_share", 0.5)),
                        order_decay=float(votes.get("order_decay", 0.5)))


def _compile_rule(rule: _Rule, sectors: dict[str, set[str]]) -> None:
    c = rule.cond
    if "event_type" in c:
        rule.types = frozenset(str(x) for x in _as_list(c["event_type"]))
    if "mode" in c:
        rule.modes = frozenset(None if x is None else str(x) for x in _as_list(c["mode"]))
    if "trigger" in c:
        words = [str(x).lower() for x in _as_list(c["trigger"])]
        rule.triggers = frozenset(words)
        # surface forms: "recaptured" matches "recapture", "clashes" matches "clash"
        rule.trigger_stems = tuple(w.rstrip("e") for w in words if len(w) > 3)
    roles = []
    for role in ("source", "target"):
        for key, negated in ((role, False), (f"not_{role}", True)):
            if key in c:
                groups = [str(g) for g in _as_list(c[key])]
                wanted: set[str] = set()
                for g in groups:
                    if g != "none":
                        wanted |= sectors.get(g, {g})
                roles.append((role, negated, frozenset(wanted), "none" in groups))
    rule.roles = tuple(roles)


@lru_cache(maxsize=4)
def load_mapping(path: str | None = None) -> AcledMapping:
    """Load (once) the PLOVER -> ACLED mapping; ``path`` overrides the bundled file."""
    if path:
        return _load(Path(path))
    return mapping_from(default_resources().yaml(_DEFAULT))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _sentence(event: Event, article_text: str | None) -> str:
    if article_text:
        s = article_text[event.sentence.start:event.sentence.end]
        if s:
            return s.lower()
    return event.sentence.text.lower() if event.sentence.text else event.trigger.text.lower()


def _matches(rule: _Rule, event: Event, sentence: str, toks: frozenset[str], head: str, count_kinds: frozenset[str]) -> bool:
    if rule.modes is not None and event.mode not in rule.modes:
        return False
    if rule.triggers is not None and head not in rule.triggers and not head.startswith(rule.trigger_stems):
        return False
    for role, negated, wanted, none_ok in rule.roles:
        actors = getattr(event, role)
        ok = none_ok and not actors or any(a.sector in wanted for a in actors)
        if ok == negated:
            return False
    if rule.words is not None and not rule.words.search(sentence, toks):
        return False
    if rule.not_words is not None and rule.not_words.search(sentence, toks):
        return False
    return not rule.cond.get("killed") or any(q.kind in count_kinds for q in event.quantities)


def first_side(text: str, mapping: AcledMapping | None = None, at: int | None = None) -> str | None:
    """The side (``state``/``nonstate`` in the bundled file) whose words occur first in ``text``.

    With ``at`` (a position, e.g. of "recaptured"), the side named last before it, as the doer
    usually is; if none is named before, the first one named after it.
    """
    mapping = mapping or load_mapping()
    before: tuple[int, str] | None = None
    after: tuple[int, str] | None = None
    for side, rx in mapping.sides.items():
        for m in rx.finditer(text):
            if at is not None and m.start() < at:
                if before is None or m.start() > before[0]:
                    before = (m.start(), side)
            elif after is None or m.start() < after[0]:
                after = (m.start(), side)
                break
    best = before or after
    return best[1] if best else None


def _refine_once(label: str, text: str, toks: frozenset[str], mapping: AcledMapping, snippet: bool) -> str:
    for r in mapping.refine_for(label):
        if r.snippet_only and not snippet:
            continue
        hit = r.words.search(text, toks) if r.words is not None else None
        if r.words is not None and hit is None:
            continue
        if r.also_words is not None and not r.also_words.search(text, toks):
            continue
        if r.not_words is not None and r.not_words.search(text, toks):
            continue
        if r.all_sides and not all(rx.search(text) for rx in mapping.sides.values()):
            continue
        if r.side is not None and first_side(text, mapping, hit.start() if hit else None) != r.side:
            continue
        return r.label
    return label


def refine_label(label: str | None, text: str, mapping: AcledMapping | None = None,
                 snippet: bool = False, toks: frozenset[str] | None = None) -> str | None:
    """Apply the mapping's ``refine`` rules to a label, given the (lower-case) text that carries it.

    ``snippet=True`` (a whole snippet's label) also applies the rules marked ``snippet_only``
    (what a report is about, e.g. a claim of responsibility, rather than what one event is).

    The first matching rule rewrites the label; the new label is refined again (at most three rounds),
    so "arrests" at a protest become "protest with intervention", and then "violent demonstration"
    if the protesters threw stones.
    """
    if label is None:
        return None
    mapping = mapping or load_mapping()
    if not mapping.refine_for(label):
        return label
    toks = _tokens(text) if toks is None else toks
    for _ in range(3):
        new = _refine_once(label, text, toks, mapping, snippet)
        if new == label:
            break
        label = new
    return label


def event_label(event: Event, article_text: str | None = None, mapping: AcledMapping | None = None) -> str | None:
    """The short ACLED label (e.g. ``AIR_STRIKE``) of one event, or None (not an ACLED event).

    Negated and hypothetical events get None.
    """
    if event.modality in ("negated", "hypothetical"):
        return None
    return _label(event, _sentence(event, article_text), mapping or load_mapping())


def _label(event: Event, sentence: str, mapping: AcledMapping) -> str | None:
    """The label of an asserted or future event, read with its (lower-case) sentence."""
    trig = event.trigger.text.lower().split()
    head = trig[-1] if trig else ""
    toks = _tokens(sentence)
    for rule in mapping.rules_for(event.event_type):
        if _matches(rule, event, sentence, toks, head, mapping.count_kinds):
            return refine_label(rule.label, sentence, mapping, toks=toks)
    return None


def label_types(label: str | None) -> tuple[str | None, str | None]:
    """ACLED (event_type, sub_event_type) of a short label; (None, None) for non-ACLED labels."""
    if label is None:
        return None, None
    return load_mapping().labels.get(label, (None, None))


def acled_types(event: Event, article_text: str | None = None) -> tuple[str | None, str | None]:
    """ACLED (event_type, sub_event_type) for a coded event, e.g. ("Battles", "Armed clash").

    Example:
        >>> acled_types(event, article.text)   # doctest: +SKIP
        ('Explosions/Remote violence', 'Air/drone strike')
    """
    mapping = load_mapping()
    label = event_label(event, article_text, mapping)
    if label is None or label not in mapping.labels:
        return None, None
    return mapping.labels[label]


def cue_scores(text: str, mapping: AcledMapping | None = None) -> Counter[str]:
    """Keyword evidence per label: weight x number of distinct cue words found in the text."""
    mapping = mapping or load_mapping()
    low = text.lower()
    found: list[tuple[int, int, str, float, str]] = []
    for table in (mapping.cues, mapping.weak_cues):
        for label, (weight, rx) in table.items():
            found.extend((m.start(), m.end(), label, weight, m.group(0)) for m in rx.finditer(low))
    # a longer phrase of another label wins over a word inside it ("gas explosion" over "explosion")
    spans = [(s, e, lab) for s, e, lab, _, _ in found]
    seen: set[tuple[str, str]] = set()
    scores: Counter[str] = Counter()
    for s, e, label, weight, word in found:
        if (label, word) in seen:
            continue
        if any(lab != label and s2 <= s and e <= e2 and e2 - s2 > e - s for s2, e2, lab in spans):
            continue
        seen.add((label, word))
        scores[label] += weight
    return scores


def classify_snippet(text: str, events: list[Event] | None = None) -> str:
    """One label for a snippet: event labels (earlier events weigh more) plus keyword cues.

    Returns one of the mapping's labels or non-ACLED labels; ``OTHER`` when nothing points anywhere.
    """
    mapping = load_mapping()
    scores = cue_scores(text, mapping)
    votes: dict[str, float] = {}
    for i, event in enumerate(events or []):
        if event.modality == "negated":
            continue
        # future/hypothetical readings ("continues to detain") still say what the snippet is about
        weight = mapping.event_weight
        if event.modality != "asserted":
            weight = weight * mapping.tentative_share
        label = event_label(event.model_copy(update={"modality": "asserted"}), text, mapping)
        if label:
            # each label counts its strongest event once: ten arrests in one report are not ten reports
            votes[label] = max(votes.get(label, 0.0), weight / (1 + mapping.order_decay * i))
    for label, w in votes.items():
        scores[label] += w
    if not scores:
        return "OTHER"
    # ties: an ACLED label before a non-ACLED one, then the order of the cues in the file
    order = list(mapping.cues)
    best = max(scores, key=lambda k: (scores[k], k not in mapping.non_acled,
                                      -order.index(k) if k in order else -len(order)))
    return refine_label(best, text.lower(), mapping, snippet=True) or best


class AcledTyper:
    """The ACLED typing stage: ACLED (event type, sub-event type) for the coded events of a parsed doc.

    Each event is read with its own sentence of the doc (its ``sentence.index``), its PLOVER type,
    mode, trigger, actors and counts; the rules and words come from ``ontology/acled.yaml`` of the
    run's Resources.

    Example:
        >>> typer = AcledTyper(Resources())   # doctest: +SKIP
        >>> typer.type_events(events, doc)    # sets acled_event_type / acled_sub_event_type
    """

    def __init__(self, resources: Resources | None = None) -> None:
        self.mapping = mapping_from((resources or default_resources()).yaml(_DEFAULT))

    def sentence(self, event: Event, doc: Doc) -> str:
        """The event's sentence in the doc, lower case (its trigger when the doc has no such sentence)."""
        sents = sentences(doc)
        index = event.sentence.index
        if index is not None and 0 <= index < len(sents):
            text = sents[index].text.rstrip()
            if text:
                return text.lower()
        return event.sentence.text.lower() if event.sentence.text else event.trigger.text.lower()

    def label(self, event: Event, doc: Doc) -> str | None:
        """The short ACLED label of one event of the doc, or None."""
        if event.modality in ("negated", "hypothetical"):
            return None
        return _label(event, self.sentence(event, doc), self.mapping)

    def types(self, event: Event, doc: Doc) -> tuple[str | None, str | None]:
        label = self.label(event, doc)
        if label is None or label not in self.mapping.labels:
            return None, None
        return self.mapping.labels[label]

    def type_events(self, events: list[Event], doc: Doc) -> None:
        """Set each event's ACLED event type and sub-event type."""
        for ev in events:
            ev.acled_event_type, ev.acled_sub_event_type = self.types(ev, doc)


__all__ = ["acled_types", "AcledTyper", "mapping_from", "event_label", "label_types", "classify_snippet", "cue_scores", "load_mapping",
           "refine_label", "first_side",
           "AcledMapping"]
