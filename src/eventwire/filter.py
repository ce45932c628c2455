"""Stage 6, filter: a confidence and a background flag for every coded event.

The event rules propose candidates with their provenance; :class:`EventFilter` scores each one
with two small logistic-regression models trained on our own annotated news
(``scripts/train_filter.py``, split ``train`` only):

- ``confidence``: how likely the candidate is a real event of its type (guideline §1-2);
- ``background``: whether it is reported as history or a cumulative total (guideline §6).

Features come from the event and the parsed spaCy Doc the events stage read (never a new parse):
the rule, type and mode; the trigger's lemma, part of speech, tense and aspect, dependency label
and path to the root; negation, modal and hedge cues; quotes and questions; source and target
presence and kinds; the sentence's position in the article; the event date against the
publication date and its precision; cue phrases of ``data/models/filter_cues.yaml``
(cumulative totals, history, news of the day, hedges, reporting, figurative uses, descriptions)
and the event's counts (with the perfect aspect: a total so far); the subordinating word of the
trigger's clause; a noun trigger dated by its own modifier ("the 1995 massacre").

Scoring is a dictionary lookup per feature and one sigmoid: no import beyond the standard
library. Events under the threshold (``Settings.min_confidence``; ``None`` = the model's own
threshold, chosen on train by cross-validation) leave the default output and are listed by
``eventwire explain`` with their score and strongest features; 0 keeps every candidate.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from spacy.tokens import Doc, Token

from .model import Event
from .nlp import sentences

MODEL_FILE = "models/filter.json"
CUES_FILE = "models/filter_cues.yaml"
FEATURES_VERSION = 2
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
_OPEN_QUOTES = "\"“‘«"
_CLOSE_QUOTES = "\"”’»"


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _bucket(value: float, edges: tuple[float, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge:g}"
    return f">{edges[-1]:g}"


class Linear:
    """A logistic model over named binary features: ``bias + sum(weights[f])``."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.bias = float(spec["bias"])
        self.weights: dict[str, float] = spec["weights"]

    def score(self, feats: list[str]) -> float:
        w = self.weights
        return _sigmoid(self.bias + sum(w.get(f, 0.0) for f in feats))

    def top(self, feats: list[str], n: int = 4) -> list[tuple[str, float]]:
        """The n features that move the score most, with their weights."""
        w = self.weights
        scored = sorted(((f, w[f]) for f in set(feats) if f in w), key=lambda fw: (-abs(fw[1]), fw[0]))
        return [(f, round(v, 3)) for f, v in scored[:n]]


class _Cues:
    """Cue phrases per class, matched once per sentence as whole words."""

    def __init__(self, classes: dict[str, list[str]]) -> None:
        self.patterns = {}
        for name, phrases in classes.items():
            alts = sorted({p.lower().strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
            self.patterns[name] = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in alts) + r")\b")

    def classes_of(self, text: str) -> list[str]:
        """The classes with a cue in the text (no per-phrase detail)."""
        low = text.lower()
        return [name for name, pattern in self.patterns.items() if pattern.search(low)]

    def find(self, text: str) -> list[str]:
        low = text.lower()
        out = []
        for name, pattern in self.patterns.items():
            hits = sorted(set(pattern.findall(low)))
            if hits:
                out.append(f"cue:{name}")
                out.extend(f"cue:{name}={h}" for h in hits)
        return out


def _years_back(published: dt.date | None, value: str | None) -> float | None:
    if published is None or not value:
        return None
    try:
        when = dt.date.fromisoformat(value[:10]) if len(value) >= 10 else dt.date(int(value[:4]), 1, 1)
    except ValueError:
        return None
    return (published - when).days / 365.25


def _path(tok: Token, depth: int = 3) -> str:
    labels = []
    t = tok
    for _ in range(depth):
        labels.append(t.dep_)
        if t.head.i == t.i:
            break
        t = t.head
    return ">".join(labels)


def _aux(tok: Token) -> list[Token]:
    """The auxiliaries of the trigger's verb (for a noun: of its governing verb)."""
    verb = tok
    if tok.pos_ in ("NOUN", "PROPN"):
        t = tok
        for _ in range(4):
            if t.head.i == t.i:
                break
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                verb = t
                break
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg")]


class ArticleContext:
    """What the features need of the article as a whole, computed once per article."""

    def __init__(self, doc: Doc, published: str | None, cues: _Cues) -> None:
        self.doc = doc
        self.sents = sentences(doc)
        try:
            self.published = dt.date.fromisoformat(published[:10]) if published else None
        except ValueError:
            self.published = None
        self.cues = cues
        self._sent_feats: dict[int, list[str]] = {}
        self.lemma_counts: dict[str, int] = {}
        for t in doc:
            if t.pos_ in ("VERB", "NOUN"):
                key = t.lemma_.lower()
                self.lemma_counts[key] = self.lemma_counts.get(key, 0) + 1
        written = doc.user_data.get("eventwire_original", doc.text)  # as written, before case restoration
        letters = [c for c in written[:2000] if c.isalpha()]
        self.all_caps = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8

    def sentence_features(self, si: int) -> list[str]:
        if si not in self._sent_feats:
            sent = self.sents[si] if si < len(self.sents) else self.doc[:]
            text = sent.text
            feats = self.cues.find(text)
            if text.rstrip().rstrip(_CLOSE_QUOTES).rstrip().endswith("?"):
                feats.append("sent:question")
            if text.lstrip()[:1] in _OPEN_QUOTES:
                feats.append("sent:starts_quote")
            n = len(self.sents)
            feats.append("sent:first" if si == 0 else "sent:pos=" + str(min(4, int(5 * si / max(1, n)))))
            if si < 3:
                feats.append("sent:lead")
            feats.append("sent:len" + _bucket(len(sent), (8, 20, 35, 60)))
            if not any(t.pos_ in ("VERB", "AUX") for t in sent):
                feats.append("sent:no_verb")
            if self.published is not None:
                years = [int(y) for y in _YEAR.findall(text)]
                past = [self.published.year - y for y in years if y < self.published.year]
                if past:
                    feats.append("sent:past_year")
                    feats.append("sent:past_year" + _bucket(max(past), (1, 5, 20)))
            self._sent_feats[si] = feats
        return self._sent_feats[si]


def features(event: Event, doc: Doc, ctx: ArticleContext, same_sentence: list[Event]) -> list[str]:
    """The named binary features of one coded event (see the module docstring)."""
    t = event.event_type
    f = ["bias:1", f"type={t}", f"rule={event.rule}", f"modality={event.modality}", f"type={t}|mode={event.mode}"]
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    tok = span.root if span is not None and len(span) else None
    if tok is not None:
        lemma = tok.lemma_.lower()
        f += [f"lemma={lemma}", f"type={t}|lemma={lemma}", f"pos={tok.pos_}", f"tag={tok.tag_}", f"dep={tok.dep_}",
              f"type={t}|dep={tok.dep_}", f"path={_path(tok)}", f"head_lemma={tok.head.lemma_.lower()}",
              f"head_pos={tok.head.pos_}"]
        if tok.head.i == tok.i:
            f.append("trigger:root")
        depth = sum(1 for _ in tok.ancestors)
        f.append("depth" + _bucket(depth, (0, 1, 2, 4)))
        tense = tok.morph.get("Tense")
        if tense:
            f.append(f"tense={tense[0]}")
        auxes = _aux(tok)
        for a in auxes:
            if a.dep_ == "neg":
                f.append("neg")
            elif a.tag_ == "MD":
                f.append(f"modal={a.lemma_.lower()}")
                f.append("modal")
            elif a.lemma_.lower() == "have":
                f.append("aspect:perfect")
                if a.tag_ == "VBD":
                    f.append("aspect:pluperfect")
            elif a.dep_ == "auxpass":
                f.append("voice:passive")
        if tok.tag_ == "VBG" and any(a.lemma_.lower() == "be" for a in auxes):
            f.append("aspect:progressive")
        if any(c.dep_ == "neg" for c in tok.head.children) and tok.head.i != tok.i:
            f.append("neg:head")
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            f.append(f"prep={tok.head.lower_}")
        if tok.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl", "pcomp"):
            f.append(f"clause={tok.dep_}|head={tok.head.lemma_.lower()}")
        # the subordinating word of the trigger's clause ("when they were attacked", "after it seized")
        for c in tok.children:
            if c.dep_ == "mark":
                f.append(f"mark={c.lower_}")
        # a noun trigger dated by its own modifier: "the 1995 massacre", "last year's attack"
        if tok.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ in ("compound", "nummod", "amod", "poss", "nmod") and (c.ent_type_ == "DATE" or _YEAR.fullmatch(c.text))
                for c in tok.children):
            f.append("trigger:dated_modifier")
        repeats = ctx.lemma_counts.get(lemma, 1)
        f.append("lemma_in_article" + _bucket(repeats, (1, 2, 4)))
        # cues inside the trigger's own clause (its verb's subtree), and on the verbs above it
        clause = tok
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        lo, hi = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
        for name in ctx.cues.classes_of(doc.text[lo:hi]):
            f.append(f"clause_cue:{name}")
            f.append(f"type={t}|clause_cue:{name}")
        above = " ".join(a.lower_ for a in list(tok.ancestors)[:3])
        for name in ctx.cues.classes_of(above):
            f.append(f"head_cue:{name}")
        if tense:
            f.append(f"type={t}|tense={tense[0]}")
        if tok.is_upper and not ctx.all_caps:
            f.append("trigger:upper")
        if tok.i > 0 and doc[tok.i - 1].pos_ == "DET":
            f.append("trigger:after_det")
        # in quotes: more opening than closing quote marks before the trigger in its sentence
        sent = ctx.sents[event.sentence.index] if event.sentence.index < len(ctx.sents) else None
        if sent is not None:
            before = doc.text[sent.start_char:tok.idx]
            straight = before.count('"')
            curly = sum(before.count(q) for q in "“«") - sum(before.count(q) for q in "”»")
            if straight % 2 == 1 or curly > 0:
                f.append("in_quotes")
    if ctx.all_caps:
        f.append("article:all_caps")
    f += ctx.sentence_features(event.sentence.index)
    # arguments
    for side, actors in (("src", event.source), ("tgt", event.target)):
        if not actors:
            f.append(f"{side}:none")
            continue
        f.append(f"{side}:yes")
        f.append(f"type={t}|{side}:yes")
        for a in actors[:2]:
            f.append(f"{side}:kind={a.kind}")
            if a.sector:
                f.append(f"{side}:sector={a.sector}")
            if not a.country:
                f.append(f"{side}:no_country")
    if event.source and event.target and {a.country for a in event.source} == {a.country for a in event.target}:
        f.append("src=tgt_country")
    if event.attribution is not None:
        f.append(f"attribution={event.attribution.kind}")
    if any(pl.start is not None for pl in event.locations):
        f.append("located")  # a place stated in the sentence, not the article's setting
    # counts
    perfect = "aspect:perfect" in f
    for q in event.quantities[:3]:
        f.append(f"count:kind={q.kind}")
        f.append(f"count:qualifier={q.qualifier}")
        if isinstance(q.value, int | float):
            f.append("count" + _bucket(float(q.value), (1, 10, 100, 1000)))
            if perfect:  # "more than 500,000 have been killed": a total so far
                f.append("count_perfect" + _bucket(float(q.value), (100, 10000)))
    # date against the publication date
    if event.date is None:
        f.append("date:none")
    else:
        f.append(f"date:precision={event.date.precision}")
        if event.date.text is None:
            f.append("date:publication")
        back = _years_back(ctx.published, event.date.value)
        if back is not None:
            f.append("date:back" + _bucket(back, (-0.01, 0.02, 0.1, 1, 5)))
            if event.date.text is not None:  # a date stated in the sentence, by how far back
                f.append("date:stated_back" + _bucket(back, (-0.01, 0.02, 0.1, 1, 5)))
    # other events of the same sentence: two rules on one clause, several of one type
    same_type = [e for e in same_sentence if e.event_type == t]
    if len(same_type) > 1:
        f.append("sent:same_type>1")
        if same_type[0] is not event:
            f.append("sent:same_type_later")
    if len(same_sentence) > 2:
        f.append("sent:events>2")
    return f


class EventFilter:
    """Give every event a confidence and a background flag; leave out those under the threshold.

    resources (Resources): reads ``models/filter.json`` and ``models/filter_cues.yaml``.
    settings (Settings): ``min_confidence`` (None = the model's threshold; 0 keeps every event).
    """

    def __init__(self, resources: Any, settings: Any = None, model: dict[str, Any] | None = None) -> None:
        self.resources = resources
        spec = model if model is not None else resources.json(MODEL_FILE)
        self.spec = spec
        self.event_model = Linear(spec["event"])
        self.background_model = Linear(spec["background"])
        self.background_threshold = float(spec["background"].get("threshold", 0.5))
        # features that make an event background whatever its score ("date:stated_back>5": an act
        # the sentence dates years before publication is history, guideline §6)
        self.background_rules = frozenset(spec["background"].get("rules") or ())
        chosen = getattr(settings, "min_confidence", None)
        self.threshold = float(spec["threshold"]) if chosen is None else float(chosen)
        self.cues = _Cues(resources.yaml(CUES_FILE))
        self.last_features: list[list[str]] = []  # per event of the last article (training reads them)

    def features_of(self, events: list[Event], doc: Doc, published: str | None) -> list[list[str]]:
        ctx = ArticleContext(doc, published, self.cues)
        by_sentence: dict[int, list[Event]] = {}
        for ev in events:
            by_sentence.setdefault(ev.sentence.index, []).append(ev)
        return [features(ev, doc, ctx, by_sentence[ev.sentence.index]) for ev in events]

    def apply(self, events: list[Event], doc: Doc, published: str | None,
              explanation: Any = None) -> tuple[list[Event], list[Event]]:
        """Score the events in place; return (kept, left out)."""
        feats = self.features_of(events, doc, published)
        self.last_features = feats
        kept, dropped = [], []
        for ev, fs in zip(events, feats, strict=True):
            ev.confidence = round(self.event_model.score(fs), 4)
            ev.background = (self.background_model.score(fs) >= self.background_threshold
                             or not self.background_rules.isdisjoint(fs))
            keep = ev.confidence >= self.threshold
            (kept if keep else dropped).append(ev)
            if explanation is not None and not keep:
                self._explain(explanation, ev, fs)
        return kept, dropped

    def _explain(self, explanation: Any, ev: Event, fs: list[str]) -> None:
        """Mark the event's 'coded' line of the explanation as left out, with score and features."""
        detail = {"status": "filtered", "confidence": ev.confidence, "threshold": self.threshold,
                  "features": self.event_model.top(fs)}
        try:
            items = explanation.sentences[ev.sentence.index]["triggers"]
        except (IndexError, KeyError, AttributeError):
            return
        for item in items:
            if item.get("status") == "coded" and item.get("trigger") == ev.trigger.text \
                    and item.get("event_type") == ev.event_type:
                item.update(detail)
                return
        explanation.note(ev.sentence.index, trigger=ev.trigger.text, rule=ev.rule, event_type=ev.event_type,
                         **detail)

    def top_features(self, fs: list[str], n: int = 4) -> list[tuple[str, float]]:
        return self.event_model.top(fs, n)
