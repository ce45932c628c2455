"""PLOVER -> ACLED: every coded event gets ACLED's event type and sub-event type.

The mapping is data (``data/ontology/acled.yaml``): ordered rules over PLOVER type, mode,
trigger, actor sectors, counts and sentence words give a short label (``ARMED_CLASH`` ...),
and the label table gives ACLED's official (event_type, sub_event_type).

``classify_snippet`` labels a whole snippet with one of the 25 ACLED labels or one of five
non-ACLED labels (ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO, ATTRIB), combining
the labels of the snippet's events with weighted keyword cues from the same file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError
from .model import Event

_DEFAULT = "ontology/acled.yaml"
_COUNT_KINDS = {"killed", "injured", "dead", "wounded"}
# Event labels that count for more than a keyword, by how specific the rule is.
EVENT_WEIGHT = 4.0
# Each further event with the same label adds this share of its weight.
EVENT_REPEAT = 0


def _words_regex(words: list[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(str(w).lower()) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?:s|es)?(?![\w-])")


@dataclass
class _Rule:
    cond: dict[str, Any]
    label: str | None
    words: re.Pattern[str] | None
    not_words: re.Pattern[str] | None


@dataclass
class _Refine:
    from_labels: set[str]
    label: str
    words: re.Pattern[str] | None
    not_words: re.Pattern[str] | None
    side: str | None
    all_sides: bool
    also_words: re.Pattern[str] | None
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

    def sector_set(self, names: list[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            out |= self.sectors.get(name, {name})
        return out


def _load(path: Path | None) -> AcledMapping:
    try:
        if path is None:
            text = resources.files("eventwire.data").joinpath(_DEFAULT).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"ACLED mapping {path or _DEFAULT} cannot be read: {exc}; fix the YAML") from exc
    if not isinstance(data, dict) or not isinstance(data.get("labels"), dict):
        raise DataFileError(f"ACLED mapping {path or _DEFAULT} needs a 'labels' table")
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
        rules.append(_Rule(cond, label, _words_regex(raw["words"]) if raw.get("words") else None,
                           _words_regex(raw["not_words"]) if raw.get("not_words") else None))
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
                              _words_regex(raw["words"]) if raw.get("words") else None,
                              _words_regex(raw["not_words"]) if raw.get("not_words") else None, side,
                              bool(raw.get("all_sides")),
                              _words_regex(raw["also_words"]) if raw.get("also_words") else None,
                              bool(raw.get("snippet_only"))))
    return AcledMapping(labels, non_acled, sectors, rules, cues, refine, sides, weak)


@lru_cache(maxsize=4)
def load_mapping(path: str | None = None) -> AcledMapping:
    """Load (once) the PLOVER -> ACLED mapping; ``path`` overrides the bundled file."""
    return _load(Path(path) if path else None)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _sentence(event: Event, article_text: str | None) -> str:
    if article_text:
        s = article_text[event.sentence.start:event.sentence.end]
        if s:
            return s.lower()
    return event.sentence.text.lower() if event.sentence.text else event.trigger.text.lower()


def _role_ok(actors: list[Any], groups: list[str], mapping: AcledMapping) -> bool:
    if "none" in groups and not actors:
        return True
    wanted = mapping.sector_set([g for g in groups if g != "none"])
    return any(a.sector in wanted for a in actors)


def _matches(rule: _Rule, event: Event, sentence: str, mapping: AcledMapping) -> bool:
    c = rule.cond
    if "event_type" in c and event.event_type not in _as_list(c["event_type"]):
        return False
    if "mode" in c and event.mode not in _as_list(c["mode"]):
        return False
    if "trigger" in c:
        head = event.trigger.text.lower().split()[-1] if event.trigger.text.strip() else ""
        # surface forms: "recaptured" matches "recapture", "clashes" matches "clash"
        if not any(head == w or len(w) > 3 and head.startswith(w.rstrip("e")) for w in _as_list(c["trigger"])):
            return False
    if rule.words is not None and not rule.words.search(sentence):
        return False
    if rule.not_words is not None and rule.not_words.search(sentence):
        return False
    for role in ("source", "target"):
        actors = getattr(event, role)
        if role in c and not _role_ok(actors, _as_list(c[role]), mapping):
            return False
        if f"not_{role}" in c and _role_ok(actors, _as_list(c[f"not_{role}"]), mapping):
            return False
    return not c.get("killed") or any(q.kind in _COUNT_KINDS for q in event.quantities)


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


def _refine_once(label: str, text: str, mapping: AcledMapping, snippet: bool) -> str:
    for r in mapping.refine:
        if label not in r.from_labels or r.snippet_only and not snippet:
            continue
        hit = r.words.search(text) if r.words is not None else None
        if r.words is not None and hit is None:
            continue
        if r.also_words is not None and not r.also_words.search(text):
            continue
        if r.not_words is not None and r.not_words.search(text):
            continue
        if r.all_sides and not all(rx.search(text) for rx in mapping.sides.values()):
            continue
        if r.side is not None and first_side(text, mapping, hit.start() if hit else None) != r.side:
            continue
        return r.label
    return label


def refine_label(label: str | None, text: str, mapping: AcledMapping | None = None,
                 snippet: bool = False) -> str | None:
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
    for _ in range(3):
        new = _refine_once(label, text, mapping, snippet)
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
    mapping = mapping or load_mapping()
    sentence = _sentence(event, article_text)
    for rule in mapping.rules:
        if _matches(rule, event, sentence, mapping):
            return refine_label(rule.label, sentence, mapping)
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
    votes: dict[str, list[float]] = {}
    for i, event in enumerate(events or []):
        if event.modality == "negated":
            continue
        # future/hypothetical readings ("continues to detain") still say what the snippet is about
        weight = EVENT_WEIGHT if event.modality == "asserted" else EVENT_WEIGHT / 2
        label = event_label(event.model_copy(update={"modality": "asserted"}), text, mapping)
        if label:
            votes.setdefault(label, []).append(weight / (1 + 0.5 * i))
    for label, ws in votes.items():
        # the strongest event counts in full, more events of the same label add less
        ws.sort(reverse=True)
        scores[label] += ws[0] + EVENT_REPEAT * sum(ws[1:])
    if not scores:
        return "OTHER"
    # ties: an ACLED label before a non-ACLED one, then the order of the cues in the file
    order = list(mapping.cues)
    best = max(scores, key=lambda k: (scores[k], k not in mapping.non_acled,
                                      -order.index(k) if k in order else -len(order)))
    return refine_label(best, text.lower(), mapping, snippet=True) or best


__all__ = ["acled_types", "event_label", "label_types", "classify_snippet", "cue_scores", "load_mapping",
           "refine_label", "first_side",
           "AcledMapping"]
