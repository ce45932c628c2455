"""Event rules: find triggers, check constraints, fill argument slots, attach attributes."""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from ..attributes.modality import REPORTING_VERBS, modality_of
from ..model import Actor, Attribution, DateValue, Event, Place, Quantity, SentenceSpan, TextSpan
from ..nlp import sentences
from .patterns import Pattern, PatternSet
from .syntax import (
    RELATIVE_PRONOUNS,
    agent_of,
    clause_indices,
    collective_heads,
    conjuncts_down,
    core_indices,
    direct_object,
    governor,
    grammatical_subject,
    head_chain,
    is_passive,
    particles,
    prep_objects,
)

LOCATIVE_PREPS = {"in", "at", "to", "into", "near", "across", "from", "inside", "outside", "throughout", "towards",
                  "toward", "around", "along", "within", "on", "over", "off", "through", "onto"}
# PLOVER codes a stated intention as its own event: to cooperate -> AGREE, to coerce or attack -> THREATEN
INTENT_TO_AGREE = {"SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE", "CONSULT"}
INTENT_TO_THREATEN = {"ASSAULT": ("violence", "138"), "COERCE": ("restrict", "132"), "SANCTION": ("restrict", "1312")}
# a place inside one of these phrases dates the event, it does not locate it ("since the war in Gaza")
TEMPORAL_PREPS = {"since", "after", "before", "during", "amid", "until", "following", "despite", "ahead", "prior"}
WEAPON_HEADS = {"rocket", "missile", "drone", "bomb", "mortar", "shell", "artillery", "gun", "rifle", "grenade",
                "explosive", "mine", "landmine", "bullet", "gunfire", "fire", "knife", "airstrike", "strike", "tank",
                "weapon", "munition", "projectile", "device", "ied", "car", "vehicle", "uav", "jet", "warplane",
                "aircraft", "helicopter"}


@dataclass
class TimeRef:
    """A time expression reduced to what the event rules need."""

    start: int
    end: int
    date: DateValue


@dataclass
class AttributionScope:
    """An attribution with the token indices it covers (the reported clause, or the sentence)."""

    attribution: Attribution
    tokens: set[int]


@dataclass
class ArticleInputs:
    doc: Doc
    article_id: str
    published: str | None
    actors: list[Actor]
    places: list[Place]
    times: list[TimeRef]
    quantities: list[Quantity]
    attributions: list[AttributionScope] = field(default_factory=list)
    modifiers: list[Actor] = field(default_factory=list)  # "a Nigerian proposal": owners of objects


@dataclass
class Explanation:
    """Why each candidate trigger became an event or not, per sentence."""

    sentences: list[dict[str, Any]] = field(default_factory=list)

    def note(self, sent_index: int, **item: Any) -> None:
        self.sentences[sent_index]["triggers"].append(item)


class _Spans:
    """Map character spans (actors, places, quantities, times) to token indices."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = doc.to_array("IDX").tolist() if len(doc) else []

    def tokens(self, start: int, end: int) -> range:
        first = max(0, bisect_left(self.starts, start + 1) - 1)
        last = max(first, bisect_left(self.starts, end) - 1)
        return range(first, last + 1)


class EventExtractor:
    """Code events from a parsed article (see module docstring)."""

    def __init__(self, patterns: PatternSet) -> None:
        self.p = patterns
        self._hashes: np.ndarray | None = None

    # ------------------------------------------------------------------ entry point
    def extract(self, inputs: ArticleInputs) -> tuple[list[Event], Explanation]:
        doc = inputs.doc
        spans = _Spans(doc)
        sents = sentences(doc)
        sent_of = {}
        for si, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                sent_of[i] = si
        explanation = Explanation(
            sentences=[{"index": i, "text": s.text.strip(), "actors": [], "triggers": []} for i, s in enumerate(sents)]
        )
        actor_tokens: list[tuple[Actor, range]] = []
        by_token: dict[int, list[Actor]] = {}
        for actor in inputs.actors:
            if actor.start is None or actor.end is None:
                continue
            rng = spans.tokens(actor.start, actor.end)
            actor_tokens.append((actor, rng))
            for i in rng:
                by_token.setdefault(i, []).append(actor)
            if rng.start in sent_of:
                explanation.sentences[sent_of[rng.start]]["actors"].append(
                    f"{actor.text} -> {actor.country or '-'} {actor.sector or '-'}" + (f" ({actor.kind})" if actor.kind else "")
                )
        state = _ArticleState(self, inputs, spans, by_token, actor_tokens, sent_of, sents)
        fired_verbs: set[int] = set()
        candidates: list[tuple[Token, Pattern]] = []
        for tok in self._trigger_tokens(doc):
            if tok.ent_type_ in ("DATE", "TIME") or (tok.pos_ == "PROPN" and tok.ent_type_ in NAME_ENTITIES):
                continue  # "in March 2001", "the Agency for Development and Cooperation"
            passing: list[tuple[tuple[int, int], Pattern]] = []
            for pattern, words in self._patterns_for(tok):
                ok, reason = self._constraints(tok, pattern)
                if not ok:
                    explanation.note(sent_of.get(tok.i, 0), trigger=tok.text, rule=pattern.rule, status="dropped", reason=reason)
                    continue
                passing.append(((words, _constrained(pattern, tok.lemma_.lower())), pattern))
            if passing:
                best = max(spec for spec, _ in passing)
                for spec, pattern in passing:
                    if spec == best:
                        candidates.append((tok, pattern))
                    else:
                        explanation.note(sent_of.get(tok.i, 0), trigger=tok.text, rule=pattern.rule, status="dropped",
                                         reason="a more specific pattern matched the same trigger")
        # verbs first, so a noun governed by a coded verb is not coded twice
        candidates.sort(key=lambda c: (c[1].pos == "NOUN" or c[0].pos_ in ("NOUN", "PROPN"), c[0].i))
        events: list[Event] = []
        taken: set[tuple[int, str]] = set()
        consumed: set[int] = set()
        by_trigger: dict[tuple[int, str], Event] = {}
        for tok, pattern in candidates:
            si = sent_of.get(tok.i, 0)
            if tok.i in consumed:
                continue
            if tok.i in by_token and tok.dep_ in ("acl", "amod", "compound"):
                explanation.note(si, trigger=tok.text, rule=pattern.rule, status="dropped",
                                 reason="part of an actor's description, not an event")
                continue
            background = _background(tok, by_token, self.p.lexicon)
            if background:
                explanation.note(si, trigger=tok.text, rule=pattern.rule, status="dropped", reason=background)
                continue
            event, reason = state.build(tok, pattern, fired_verbs)
            if event is None:
                explanation.note(si, trigger=tok.text, rule=pattern.rule, status="dropped", reason=reason)
                continue
            key = (tok.i, event.event_type)
            if key in taken:
                continue
            parent = by_trigger.get((tok.head.i, event.event_type)) if tok.dep_ in ("advcl", "conj") and tok.tag_ == "VBG" else None
            if parent is None and tok.tag_ == "VBG" and (
                    event.event_type == "REQUEST" or (event.event_type == "ASSAULT" and event.mode == "destroy")):
                # "demonstrated calling for independence", "joined protesters in demanding a vote",
                # "rioted, setting fire to mattresses": what the protest demands or does is part of it
                up = tok.head.head if tok.dep_ == "pcomp" else tok.head
                parent = by_trigger.get((up.i, "PROTEST"))
                if parent is None and up.dep_ in ("advcl", "xcomp", "conj"):
                    parent = by_trigger.get((up.head.i, "PROTEST"))
            if parent is not None:
                _merge_into(parent, event)
                taken.add(key)
                explanation.note(si, trigger=tok.text, rule=pattern.rule, status="dropped",
                                 reason=f"continues the {parent.event_type} event of '{parent.trigger.text}' (merged)")
                continue
            taken.add(key)
            if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "acomp":
                fired_verbs.add(tok.i)
                for child in tok.children:
                    if child.dep_ == "xcomp":
                        consumed.add(child.i)  # "vowed to retaliate": the infinitive is part of this event
                        fired_verbs.add(child.i)  # ... and so is its object ("threatened to launch an offensive")
                    if child.dep_ == "prep" and child.lower_ in ("of", "for"):
                        # "accused X of supporting Y", "blamed X for attacking Y": the content of the charge
                        charge = [g.i for g in child.children if g.dep_ == "pcomp"]
                        consumed.update(charge)
                        fired_verbs.update(charge)  # ... and so is what the charge's verb governs
                if pattern.xcomp is not None:
                    gerunds = [g.i for g in _gerunds_after_to(tok)]  # "committed to supporting X"
                    consumed.update(gerunds)
                    fired_verbs.update(gerunds)
            events.append(event)
            by_trigger[(tok.i, event.event_type)] = event
            explanation.note(
                si, trigger=tok.text, rule=pattern.rule, status="coded", event_type=event.event_type,
                mode=event.mode, modality=event.modality,
                source=[a.country or a.text for a in event.source], target=[a.country or a.text for a in event.target],
            )
        state.resolve_discourse(events)
        events.sort(key=lambda e: (e.trigger.start, e.event_type))
        return events, explanation

    # ------------------------------------------------------------------ triggers
    def _trigger_tokens(self, doc: Doc) -> list[Token]:
        """Tokens whose lemma or lower-case form is a trigger word (vectorised pre-filter)."""
        if not len(doc):
            return []
        if self._hashes is None:
            self._hashes = np.array(sorted({hash_string(k) for k in self.p.index}), dtype="uint64")
        arr = doc.to_array([LEMMA, LOWER])
        mask = np.isin(arr[:, 0], self._hashes) | np.isin(arr[:, 1], self._hashes)
        return [doc[int(i)] for i in np.flatnonzero(mask)]

    def _patterns_for(self, tok: Token) -> list[tuple[Pattern, int]]:
        """Patterns whose lemma matches the token, with the number of words matched (specificity)."""
        lemma = tok.lemma_.lower()
        if lemma not in self.p.index and tok.lower_ not in self.p.index:
            return []
        if tok.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ"):
            return []
        found = list(self.p.index.get(lemma, ()))
        if tok.lower_ != lemma:
            found += [p for p in self.p.index.get(tok.lower_, ()) if p not in found]
        out = []
        for pattern in found:
            if pattern.pos == "VERB" and tok.pos_ != "VERB":
                continue
            if pattern.pos == "NOUN" and tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if pattern.pos != "ANY" and tok.pos_ == "ADJ":
                continue
            words = [n for key in {lemma, tok.lower_} for n, w in pattern.by_last.get(key, ()) if _multiword_ok(tok, w)]
            if not words:
                continue
            out.append((pattern, max(words)))
        return out

    def _constraints(self, tok: Token, p: Pattern) -> tuple[bool, str]:
        lemma = tok.lemma_.lower()
        parts = particles(tok)
        if p.particle and not parts & p.particle:
            return False, f"needs one of {sorted(p.particle)} after the trigger"
        if lemma in p.particle_for and not parts & p.particle_for[lemma]:
            return False, f"'{lemma}' needs one of {sorted(p.particle_for[lemma])}"
        if p.no_particle & parts:
            return False, f"particle {sorted(p.no_particle & parts)} blocks this reading"
        obj = direct_object(tok) if tok.pos_ == "VERB" else None
        if obj is None and p.particle and tok.pos_ == "VERB":
            objs = prep_objects(tok, set(p.particle))
            obj = objs[0] if objs else None
        obj_lemmas = _np_lemmas(obj, self.p.lexicon) if obj is not None else set()
        if lemma in p.needs_object and obj is None and not (tok.pos_ == "VERB" and is_passive(tok)):
            # "allowed the opposition leader to hold a rally": the object is the subject of the infinitive
            ecm = _ecm_object(tok)
            if ecm is None:
                return False, "needs a direct object"
            obj = ecm
        if p.object is not None:
            if obj is None and tok.pos_ == "VERB" and is_passive(tok):
                subj, _ = grammatical_subject(tok)
                obj_lemmas = _np_lemmas(subj, self.p.lexicon) if subj is not None else set()
            if not obj_lemmas & p.object:
                return False, "object is not of the required kind"
        if obj_lemmas and obj is not None and obj.lemma_.lower() in p.not_object:
            return False, f"object '{obj.text}' excludes this reading"
        if lemma in p.object_for and not obj_lemmas & p.object_for[lemma]:
            return False, f"'{lemma}' needs an object among {sorted(p.object_for[lemma])[:6]}"
        if p.xcomp is not None:
            xcomps = [c for c in tok.children if c.dep_ == "xcomp"] + _gerunds_after_to(tok)
            if not xcomps or ("*" not in p.xcomp and not any(c.lemma_.lower() in p.xcomp for c in xcomps)):
                return False, "needs a controlled infinitive of the right kind"
            if any(c.lemma_.lower() in p.xcomp_not for c in xcomps):
                return False, "the controlled infinitive excludes this reading"
            if p.not_object and any(o is not None and o.lemma_.lower() in p.not_object
                                    for o in (direct_object(c) for c in xcomps)):
                return False, "the infinitive's object excludes this reading"  # "vowed to fight corruption"
        if p.purpose is not None and not any(
                c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and c.lemma_.lower() in p.purpose
                and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux") for c in tok.children):
            return False, "needs a purpose infinitive of the right kind"  # "sent experts to investigate"
        if p.modifier is not None:
            mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")}
            mods |= {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")}
            if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "on":
                mods.add("on")  # "on strike"
            mods.update(tok.doc[tok.left_edge.i:tok.i].text.lower().replace(" - ", "-").replace("'s", "").split())
            if not mods & p.modifier:
                return False, "no modifier of the required kind"
        if p.ccomp_aux:
            clauses = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis")
                       or (c.dep_ == "acl" and tok.pos_ in ("NOUN", "PROPN"))]
            if "*" in p.ccomp_aux:
                if not clauses:
                    return False, "needs a reported clause"
            elif not any(a.lower_ in p.ccomp_aux for c in clauses for a in c.children if a.dep_ == "aux"):
                return False, f"needs a reported clause with {sorted(p.ccomp_aux)}"
        if p.governed_by is not None:
            gov = _governor(tok, self.p)
            if gov is None or gov.lemma_.lower() not in p.governed_by:
                return False, "noun is not governed by a licensing verb"
        return True, ""


ARMED_SECTORS = {"MIL", "REB", "COP", "UAF", "SPY"}
# prepositions whose object's owner can be the recipient ("opposed to French mediation", "against Israeli policies")
OWNER_PREPS = {"to", "against", "with", "from", "on", "over", "about"}
ORG_CODES = {"IGO", "UNO", "EUR", "NGO", "IMG", "MNC"}
# sectors of actors that belong to one country; an uncoded one takes the country of its sentence
DOMESTIC_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "CVL", "ELI", "SPY", "LAB", "EDU", "REL",
                    "BUS", "CRM", "REF", "UAF", "AGR", "HLH", "MED", "JRN", "ETH"}
NAME_ENTITIES = {"ORG", "PERSON", "GPE", "FAC", "LOC", "WORK_OF_ART", "LAW", "NORP", "PRODUCT"}
BACKGROUND_PREPS = {"after", "before", "following", "during", "since"}


def _constrained(p: Pattern, lemma: str) -> int:
    """How much a pattern states about what its trigger must govern, added up: a required object,
    particle, modifier or specific infinitive count 2 each; any infinitive, a governor or a reported
    clause 1 each. The reading that states most wins ("ordered the ambassador to leave")."""
    score = 0
    if p.object or lemma in p.object_for:
        score += 2
    if p.particle or lemma in p.particle_for:
        score += 2
    if p.modifier:
        score += 2
    if p.xcomp is not None:
        score += 1 if "*" in p.xcomp else 2
    if p.purpose is not None:
        score += 3  # beats a deployment read from the object alone ("sent personnel to investigate")
    score += int(bool(p.governed_by)) + int(bool(p.ccomp_aux))
    return score


def _background(tok: Token, actor_tokens: set[int] | dict[int, Any], lex: dict[str, frozenset[str]]) -> str:
    """Why a trigger is background rather than a reported event ('' when it is not)."""
    if tok.pos_ in ("NOUN", "PROPN"):
        # walk up through noun phrases and prepositions to the first verb: "after 12 days of battles",
        # "after a demonstration over fraud allegations", "in protest at the arrest of ..."
        head = tok
        while head.dep_ in ("pobj", "conj", "compound", "prep", "appos") and head.head.i != head.i:
            head = head.head
            if head.pos_ in ("VERB", "AUX"):
                break
            if head.dep_ == "prep" or head.pos_ == "ADP":
                if head.lower_ in BACKGROUND_PREPS:
                    return f"mentioned as background ('{head.text} ...')"
                before = tok.doc[head.i - 1] if head.i > 0 else head
                if head.lower_ in ("of", "at", "against", "over", "for", "to") and (
                        head.head.lemma_.lower() in lex["cause_nouns"] or before.lemma_.lower() in lex["cause_nouns"]):
                    return f"the cause of another act ('{before.text} {head.text} ...')"
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN",):
        return "a participle describing a noun, not a reported event"
    if tok.dep_ in ("pcomp", "pobj") and tok.head.dep_ == "prep" and tok.head.lower_ in ("of", "for", "with", "over") \
            and tok.head.head.lemma_.lower() in lex["charge_words"] and tok.head.head.dep_ in ("acl", "relcl", "amod"):
        return f"the charge against someone ('{tok.head.head.text} {tok.head.text} ...'), not a reported act"
    if tok.dep_ == "acl" and tok.head.lemma_.lower() in lex["documents"]:
        return f"the content of a {tok.head.lemma_.lower()}, not an act"
    for t in (tok, *tok.ancestors):
        if t.dep_ == "relcl" and t.head.i not in actor_tokens and _word_before(t.left_edge) not in actor_tokens:
            # "a resolution that aims to tighten sanctions", "raids in which 20 people were killed";
            # "guerrillas who overran the village" describes an actor's act and stays
            return f"inside a relative clause describing '{t.head.text}', not an actor"
        if t.dep_ == "advcl" and t.tag_ in ("VBD", "VBN") and any(
                m.dep_ == "mark" and m.lower_ in BACKGROUND_PREPS for m in t.children):
            return "an earlier act that dates the reported one ('after ...', 'since ...')"
    return ""


def _governor(tok: Token, patterns: PatternSet) -> Token | None:
    """The verb governing a noun trigger, through the pattern file's light nouns ("launched a mediation effort")."""
    return governor(tok, patterns.lexicon["light_nouns"])


def _with_country(actor: Actor, country: str) -> Actor:
    """A copy of a domestic actor with no country, given the country of its sentence."""
    if actor.country or actor.sector not in DOMESTIC_SECTORS or actor.kind in ("country", "igo", "media"):
        return actor
    return actor.model_copy(update={"country": country, "entry": f"{actor.entry or actor.kind or 'actor'}+sentence-country"})


def _gerunds_after_to(tok: Token) -> list[Token]:
    """Gerunds that stand for a controlled infinitive ("committed to opening up", "ready to help")."""
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
            for g in c.children if g.dep_ in ("pcomp", "pobj") and g.tag_ == "VBG"]


def _ecm_object(tok: Token) -> Token | None:
    """The subject of an infinitive that stands for the verb's object ("allowed the leader to hold ...")."""
    return next((s for c in tok.children if c.dep_ in ("ccomp", "xcomp") for s in c.children if s.dep_ == "nsubj"), None)


def _one_body(tok: Token, source: list[Actor]) -> bool:
    """True when the subject is one singular collective body ("the cabinet met on Sunday")."""
    subj, _ = grammatical_subject(tok)
    if subj is None or subj.tag_ not in ("NN", "NNP") or any(c.dep_ == "conj" for c in subj.children):
        return False
    return len(source) == 1 and source[0].sector in ("GOV", "LEG", "JUD", "PTY", "OPP", None)


def _weapon_subject(tok: Token) -> bool:
    """True when a verb's subject is a weapon ("three rockets struck near the embassy")."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    subj, passive = grammatical_subject(tok)
    return subj is not None and not passive and subj.lemma_.lower() in WEAPON_HEADS


def _preparing(tok: Token, readiness: frozenset[str]) -> bool:
    """True when the trigger is the infinitive of a verb or adjective of readiness ("prepared to shell")."""
    t = tok
    while t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
        t = t.head
        if t.lemma_.lower() in readiness:
            return True
    return False


def _mentions(tok: Token, words: frozenset[str]) -> bool:
    """True when the trigger's own phrase (object, of-phrase, compounds, modifiers) contains one of the words."""
    return any(child.dep_ in ("dobj", "nsubjpass", "prep", "compound", "amod", "nmod", "poss")
               and any(t.lemma_.lower() in words or t.lower_ in words for t in child.subtree)
               for child in tok.children)


def _word_before(tok: Token) -> int:
    """Index of the nearest word before tok, skipping punctuation (-1 at the start)."""
    i = tok.i - 1
    while i >= 0 and tok.doc[i].is_punct:
        i -= 1
    return i


def _condition(tok: Token, gov: Token | None) -> str:
    """The mark ('if', 'unless') of a condition clause attached to the trigger or its governing verb."""
    for head in (tok, gov):
        if head is None:
            continue
        for child in head.children:
            if child.dep_ == "advcl":
                marks = [m.lower_ for m in child.children if m.dep_ == "mark" and m.lower_ in ("if", "unless")]
                if marks:
                    return marks[0]
    return ""


def _np_lemmas(token: Token | None, lex: dict[str, frozenset[str]]) -> set[str]:
    if token is None:
        return set()
    out = set()
    for t in conjuncts_down(token):
        out.add(t.lemma_.lower())
        out.add(t.lower_)
        compounds = [c.lower_ for c in t.children if c.dep_ in ("compound", "amod")]
        for c in compounds:
            out.add(f"{c} {t.lemma_.lower()}")
        out.update(c.lemma_.lower() for c in t.children if c.dep_ == "compound")  # "aid deliveries"
        for prep in (c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"):
            for o in prep.children:
                if o.dep_ == "pobj":
                    out.add(f"{t.lemma_.lower()} of {o.lemma_.lower()}")
                    if t.like_num or t.lemma_.lower() in lex["measure_nouns"]:
                        out.update(_np_lemmas(o, lex))
    return out


def _multiword_ok(tok: Token, phrase: str) -> bool:
    words = phrase.split()
    if len(words) == 1:
        return True
    doc = tok.doc
    start = tok.i - (len(words) - 1)
    if start < 0:
        return False
    before = [doc[i].lower_ for i in range(start, tok.i)]
    return before == words[:-1] or [doc[i].lemma_.lower() for i in range(start, tok.i)] == words[:-1]


class _ArticleState:
    """Everything the rules need about one article, with the lookups precomputed."""

    def __init__(self, ex: EventExtractor, inputs: ArticleInputs, spans: _Spans, by_token: dict[int, list[Actor]],
                 actor_tokens: list[tuple[Actor, range]], sent_of: dict[int, int], sents: list[Span]) -> None:
        self.ex = ex
        self.p = ex.p
        self.inputs = inputs
        self.doc = inputs.doc
        self.by_token = by_token
        self.actor_tokens = actor_tokens
        self.sent_of = sent_of
        self.sents = sents
        self.place_tokens = [(pl, spans.tokens(pl.start, pl.end)) for pl in inputs.places if pl.start is not None and pl.end is not None]
        self.time_tokens = [(t, spans.tokens(t.start, t.end)) for t in inputs.times]
        self.quantity_tokens = [(q, spans.tokens(q.start, q.end)) for q in inputs.quantities if q.start is not None and q.end is not None]
        self.pending_discourse: list[tuple[Event, Token]] = []
        self.actor_token_set = set(by_token)
        self.modifier_by_token: dict[int, list[Actor]] = {}
        for actor in inputs.modifiers:
            if actor.start is not None and actor.end is not None:
                for i in spans.tokens(actor.start, actor.end):
                    self.modifier_by_token.setdefault(i, []).append(actor)
        self.sentence_cues: dict[int, set[str]] = {}
        self.sentence_countries: dict[int, set[str]] = {}
        self._non_agents = WEAPON_HEADS | self.p.lexicon["non_agents"]

    def countries_of_sentence(self, si: int) -> set[str]:
        """Countries named in a sentence by actors, modifiers ("Chilean") and places (ISO codes only)."""
        if si not in self.sentence_countries:
            sent = self.sents[si]
            found = {a.country for a, rng in self.actor_tokens if sent.start <= rng.start < sent.end}
            found |= {a.country for i, acts in self.modifier_by_token.items() if sent.start <= i < sent.end for a in acts}
            found |= {pl.country for pl, rng in self.place_tokens if sent.start <= rng.start < sent.end}
            self.sentence_countries[si] = {c for c in found if c and c not in ORG_CODES}
        return self.sentence_countries[si]

    # ---------------------------------------------------------------- actors in phrases
    def actors_in(self, token: Token | None) -> list[Actor]:
        if token is None:
            return []
        if token.lower_ in RELATIVE_PRONOUNS and token.tag_ in ("WDT", "WP", "WP$"):
            return self._relative_antecedent(token)
        core = core_indices(token)
        found: list[Actor] = []
        seen: set[int] = set()
        for i in sorted(core):
            for actor in self.by_token.get(i, ()):
                if id(actor) not in seen:
                    seen.add(id(actor))
                    found.append(actor)
        if len(found) > 1:
            # "his Greek counterpart": the possessive pronoun is not a second participant
            heads = [a for a in found if not (a.kind == "reference" and self._is_possessive(a))]
            found = heads or found
        return found

    def _is_possessive(self, actor: Actor) -> bool:
        span = self.doc.char_span(actor.start or 0, actor.end or 0, alignment_mode="expand")
        return span is not None and any(t.dep_ == "poss" for t in span)

    def _relative_antecedent(self, pron: Token) -> list[Actor]:
        clause = pron.head
        head = clause.head if clause.dep_ == "relcl" else None
        if head is not None:
            found = self.actors_in(head) if head.lower_ not in RELATIVE_PRONOUNS else []
            if found:
                return found
        # the nearest actor mention(s) ending just before the pronoun, in the same sentence
        sent = pron.sent
        best: list[Actor] = []
        best_end = -1
        for actor, rng in self.actor_tokens:
            if rng.stop <= pron.i and rng.start >= sent.start and rng.stop > best_end:
                best, best_end = [actor], rng.stop
            elif rng.stop == best_end and rng.stop <= pron.i and rng.start >= sent.start:
                best.append(actor)
        if best and pron.i - best_end <= 2:
            return best
        return []

    # ---------------------------------------------------------------- slots
    def slot(self, name: str, tok: Token, p: Pattern) -> list[Actor]:
        verb = tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ == "acomp")  # "is ready to ..."
        if name == "subj":
            if not verb:
                return []
            if is_passive(tok):
                return self._agent_actors(agent_of(tok))
            subj, passive_subj = grammatical_subject(tok)
            if passive_subj:
                return []
            if subj is not None and subj.lemma_.lower() in WEAPON_HEADS:
                return self._agent_actors(subj)  # "Russian missiles struck ...": the weapon's owner
            return self.actors_in(subj)
        if name == "obj":
            if verb and is_passive(tok):
                subj, _ = grammatical_subject(tok)
                return self.actors_in(subj)
            obj = direct_object(tok) if verb else None
            if obj is None and verb and tok.lemma_.lower() in p.needs_object:
                obj = _ecm_object(tok)
            return self._object_actors(obj)
        if name == "of_obj":
            obj = direct_object(tok) if verb else None
            if obj is None and p.particle:
                objs = prep_objects(tok, set(p.particle))
                obj = objs[0] if objs else None
            if obj is None:
                return []
            out: list[Actor] = []
            for o in conjuncts_down(obj):
                for child in o.children:
                    if child.dep_ == "poss":
                        out += self.actors_in(child)
                for target in prep_objects(o, "of"):
                    out += self.actors_in(target)
            return _dedupe(out)
        if name.startswith("prep:"):
            out = []
            for obj in prep_objects(tok, name[5:]):
                # "opposed to French mediation": the owner of a non-actor object
                out += self.actors_in(obj) or (self._owner_of(obj, strict=True) if name[5:] in OWNER_PREPS else [])
            if not out and tok.dep_ == "compound" and tok.head.lemma_.lower() in self.p.lexicon["light_nouns"]:
                # "a mediation effort between X and Y": the phrase hangs on the light noun or its verb
                out = [a for o in prep_objects(tok.head, name[5:]) for a in self.actors_in(o)]
                if not out:
                    return self.slot("governor_prep:" + name[5:], tok, p)
            if not out and tok.pos_ in ("NOUN", "PROPN") and name[5:] in OWNER_PREPS:
                # "opened investigations against X", "gave a welcome to X": the phrase may hang on the support verb
                return self.slot("governor_prep:" + name[5:], tok, p)
            if not out and verb and name[5:] in ("from", "to", "against", "with"):
                # "recalled its ambassador from Niger": the phrase may hang on the object
                obj = direct_object(tok)
                if obj is not None:
                    out = [a for o in prep_objects(obj, name[5:]) for a in self.actors_in(o)]
            return _dedupe(out)
        if name == "owner":
            out = []
            for child in tok.children:
                if child.dep_ == "poss" or (child.dep_ in ("amod", "compound", "nmod") and child.i in self.actor_token_set):
                    out += self.actors_in(child)
            if not out:
                for head in collective_heads(tok):
                    for obj in prep_objects(head, "by"):
                        out += self._agent_actors(obj)
                    if out:
                        break
            return _dedupe(out)
        if name == "of_self":
            out = []
            for obj in prep_objects(tok, "of"):
                out += self.actors_in(obj)
            return _dedupe(out)
        if name in ("governor_subj",) or name.startswith("governor_prep:"):
            gov = _governor(tok, self.p)
            if gov is None:
                return []
            if name == "governor_subj":
                return self.slot("subj", gov, p)
            out = []
            for obj in prep_objects(gov, name[len("governor_prep:"):]):
                if obj.i != tok.i:  # "insisted on its demands": the phrase holding the trigger is no recipient
                    out += self.actors_in(obj)
            return _dedupe(out)
        if name == "dative":
            out = []
            for child in tok.children:
                if child.dep_ == "dative":
                    out += self.actors_in(child) or [a for o in prep_objects(tok, "to") for a in self.actors_in(o)]
            return _dedupe(out)
        if name == "ccomp_subj":
            # "demanded that the United States match ...", "urged Iran to stop ..."
            # a noun ("its demand that Israel ease ...") may have the clause as acl, or its verb may carry it
            heads = [tok]
            if tok.pos_ in ("NOUN", "PROPN"):
                gov = _governor(tok, self.p)
                heads += [gov] if gov is not None else []
            out = []
            for head in heads:
                for child in head.children:
                    if child.dep_ in ("ccomp", "xcomp", "acl") and child.pos_ in ("VERB", "AUX"):
                        subj = next((c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                        out += self.actors_in(subj)
                if out:
                    break
            return _dedupe(out)
        if name in ("xcomp_obj", "purpose_obj"):
            # "vowed to punish X", "refused to meet X"; purpose_obj also reads "... to demand X"
            deps = ("xcomp",) if name == "xcomp_obj" else ("xcomp", "advcl", "acl")
            gov = _governor(tok, self.p) if name == "purpose_obj" and tok.pos_ in (
                "NOUN", "PROPN") else None
            heads = [tok] + ([gov] if gov is not None else [])
            out = []
            for head in heads:
                for child in head.children:
                    if child.dep_ in deps and child.pos_ in ("VERB", "AUX"):
                        obj = direct_object(child)
                        out += self._object_actors(obj)
                        for pobj in prep_objects(child, {"against", "on", "to", "with"}):
                            out += self.actors_in(pobj)
            return _dedupe(out)
        return []

    def _object_actors(self, obj: Token | None) -> list[Actor]:
        """Actors an object names or belongs to. An uncoded agent word that only describes the object
        ("terrorist activities", "official contact", "a military offensive") is not its recipient."""
        if obj is None:
            return []
        found = self.actors_in(obj)
        if found and obj.i not in self.by_token and all(a.country is None for a in found):
            describing = [c for c in obj.children if c.dep_ == "amod" and c.pos_ == "ADJ" and c.i in self.by_token]
            if len(describing) == len({id(a) for a in found}):
                return self._owner_of(obj, strict=True)
            return self._owner_of(obj, strict=True) or found
        return found or self._owner_of(obj)

    def _owner_of(self, obj: Token | None, strict: bool = False, depth: int = 0) -> list[Actor]:
        """Actors that own or receive an object that is not itself an actor: "an Indian proposal",
        "Serbia's suppression", "action against Russia", "the resignation of the president"."""
        if obj is None:
            return []
        out: list[Actor] = []
        for child in obj.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                for i in range(child.left_edge.i, child.i + 1):
                    out += self.by_token.get(i, ()) or self.modifier_by_token.get(i, ())
        if strict:
            out = [a for a in out if a.country]
        if not out:
            for pobj in prep_objects(obj, {"against", "on", "of", "to", "with", "into", "by", "from", "between"}):
                # "restrictions against German goods": the owner of the object of the phrase
                out += self.actors_in(pobj) or (self._owner_of(pobj, strict=True, depth=depth + 1) if depth < 1 else [])
        return _dedupe(out)

    def _agent_actors(self, agent: Token | None) -> list[Actor]:
        """Actors of a by-phrase; for weapons ("by Turkish drones") only their owner, never the weapon."""
        if agent is None:
            return []
        if agent.lemma_.lower() not in WEAPON_HEADS:
            return self.actors_in(agent)
        out: list[Actor] = []
        for child in agent.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                out += [a for i in range(child.left_edge.i, child.i + 1)
                        for a in self.by_token.get(i, ()) or self.modifier_by_token.get(i, ())]
        return _dedupe(out)

    def _unresolved_subject(self, tok: Token) -> list[Actor]:
        """A named or plural subject the dictionaries cannot code ("the APEC forum", "Thousands of Kurds"):
        kept as an uncoded actor so the act is still reported."""
        if tok.pos_ not in ("VERB", "AUX") and tok.dep_ != "acomp":
            return []
        subj, passive = grammatical_subject(tok)
        if subj is None or passive or is_passive(tok) or subj.pos_ not in ("PROPN", "NOUN", "NUM"):
            return []
        if (subj.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY") or subj.lemma_.lower() in self._non_agents
                or subj.lemma_.lower() in self.p.index):
            return []  # an event noun ("the bombings") is not an agent
        named = any(c.dep_ in ("compound", "appos", "nmod") and c.pos_ == "PROPN" and not c.is_sent_start
                    for c in subj.children)  # a capitalised first word is no evidence of a name
        if subj.pos_ != "PROPN" and subj.ent_type_ not in ("ORG", "NORP", "GPE") and not named:
            # a common noun is an agent only when a people or place names it ("European powers",
            # "thousands of Kurds"); "the plan", "concerns", "tents" are not
            nationals = [c for c in subj.children if c.dep_ in ("amod", "compound")]
            nationals += [o for prep in subj.children if prep.dep_ == "prep" and prep.lower_ == "of"
                          for o in prep.children if o.dep_ == "pobj"]
            if subj.tag_ not in ("NNS", "CD") or not any(
                    (t.ent_type_ in ("NORP", "GPE") or t.pos_ == "PROPN") and not t.is_sent_start
                    or t.i in self.modifier_by_token
                    or t.i in self.by_token for n in nationals for t in n.subtree):
                return []
        left, right = subj.left_edge.i, subj.i + 1
        for child in subj.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i > subj.i:
                right = child.right_edge.i + 1  # "thousands of Kurds"
        span = self.doc[left:right]
        return [Actor(text=span.text, kind="unresolved", entry="unresolved-subject",
                      start=span.start_char, end=span.end_char)]

    def _unresolved_agent(self, tok: Token) -> list[Actor]:
        """The by-phrase of an attack that names a doer the dictionaries cannot code (not a weapon)."""
        heads = list(collective_heads(tok)) if tok.pos_ in ("NOUN", "PROPN") else [tok]
        for head in heads:
            for pobj in prep_objects(head, "by"):
                lemma = pobj.lemma_.lower()
                if lemma in self._non_agents or lemma in self.p.index or pobj.pos_ not in ("NOUN", "PROPN"):
                    continue
                end = pobj.right_edge.i + 1
                for i in range(pobj.i + 1, end):
                    if self.doc[i].text in (",", ";", "(", "—", "–") or self.doc[i].dep_ == "relcl":
                        end = i  # "groups aligned with Iran, which opposes ...": the name ends at the comma
                        break
                span = self.doc[pobj.left_edge.i:end]
                return [Actor(text=span.text, kind="unresolved", entry="unresolved-agent",
                              start=span.start_char, end=span.end_char)]
        return []

    # ---------------------------------------------------------------- event building
    def build(self, tok: Token, p: Pattern, fired_verbs: set[int]) -> tuple[Event | None, str]:
        is_noun = tok.pos_ in ("NOUN", "PROPN")
        gov = _governor(tok, self.p) if is_noun else None
        if is_noun and gov is not None and gov.i in fired_verbs:
            return None, f"governed by '{gov.text}', already coded as an event"
        source: list[Actor] = []
        target: list[Actor] = []
        discourse = False
        for slot in p.source:
            source = self.slot(slot, tok, p)
            if source:
                break
        for slot in p.target:
            if slot == "discourse":
                discourse = True
                continue
            target = self.slot(slot, tok, p)
            if target:
                break
        if not source and not target and "subj" in p.source:
            source = self._unresolved_subject(tok)
        source_ids = {id(a) for a in source}
        target = [a for a in target if id(a) not in source_ids]
        lemma = tok.lemma_.lower()
        if lemma in p.needs_target and not target:
            return None, "this trigger needs a target"
        if tok.pos_ in ("VERB", "AUX") and p.event_type in ("ASSAULT", "COERCE"):
            subj, _ = grammatical_subject(tok)
            if subj is not None and not is_passive(tok) and subj.lemma_.lower() in self.p.lexicon["disasters"]:
                return None, f"'{subj.text}' is a disaster or accident, not an attacker"
            agent = agent_of(tok) if is_passive(tok) else None
            if agent is not None and agent.lemma_.lower() in self.p.lexicon["disasters"]:
                return None, f"'{agent.text}' is a disaster or accident, not an attacker"
            cause = next((o for o in prep_objects(tok, {"in", "during", "from", "after"}) if o.lemma_.lower() in self.p.lexicon["disasters"]), None)
            if cause is not None and is_passive(tok):
                return None, f"killed or hurt in a {cause.text}, not an attack"
        if p.event_type == "CONSULT" and lemma in ("meet", "convene", "confer") and not target and _one_body(tok, source):
            return None, "a body meeting on its own (a cabinet or council session), not a meeting between actors"
        support = gov is not None and gov.lemma_.lower() in self.p.support_verbs
        if is_noun and p.nominal_needs_args and not (source or target or support):
            return None, "noun trigger without arguments or a support verb (a mention, not an event)"
        weapon_subject = p.event_type == "ASSAULT" and _weapon_subject(tok)
        if not source and not target and not (is_noun and support) and not discourse and not weapon_subject:
            return None, "no actor found for source or target"
        si = self.sent_of.get(tok.i, 0)
        sent = self.sents[si]
        scope = clause_indices(tok)
        if gov is not None:
            scope |= {gov.i} | {c.i for c in gov.children if c.dep_ in ("prep", "npadvmod", "advmod")}
            for c in gov.children:
                if c.dep_ in ("prep", "npadvmod"):
                    scope |= {t.i for t in c.subtree}
        event_type, mode, cameo, modality, rule = self._reading(tok, p, gov, scope, source, target)
        quantities = [q for q, rng in self.quantity_tokens if any(i in scope for i in rng)]
        locations, placed = self._locations(tok, scope, sent, source + target)
        if not source and event_type == "ASSAULT":
            source = self._unresolved_agent(tok)  # "attacks ... by groups aligned with Iran": named, not coded
        if not source and event_type == "ASSAULT" and locations and mode != "crowd-control":
            # no perpetrator named ("a car bomb exploded in Beirut"): an unidentified armed group of the
            # country where it happened, as ACLED and PLOVER (UAF) code it
            place = next((pl for pl in locations if pl.country), None)
            if place is not None:
                source = [Actor(text="unidentified armed group", name="Unidentified armed group", country=place.country,
                                sector="UAF", kind="unidentified", entry="unidentified-perpetrator")]
        if not source and not target and not locations and weapon_subject:
            return None, "no actor and no place for an attack by an unowned weapon"
        if not target and placed:
            # "imposed a curfew in Abidjan", "withdrew from Panama": the place stands for its people
            place = next((pl for pl in placed if pl.country), None)
            if place is not None:
                target = [Actor(text=place.text, name=place.name, country=place.country, kind="place",
                                entry="place", start=place.start, end=place.end)]
        countries = self.countries_of_sentence(si)
        if len(countries) == 1:
            # "President X", "rebels", "the judge": a domestic actor with no nationality of its own takes
            # the one country its sentence names
            (only,) = countries
            source = [_with_country(a, only) for a in source]
            target = [_with_country(a, only) for a in target]
        date = self._date(tok, gov, scope, sent)
        attribution = self._attribution(tok)
        eid = hashlib.sha1(f"{self.inputs.article_id}:{tok.idx}:{event_type}:{rule}".encode()).hexdigest()[:16]
        event = Event(
            event_id=eid,
            event_type=event_type,
            mode=mode,
            context=self._contexts(sent, source + target),
            cameo=cameo,
            quad_class=int(self.p.ontology[event_type]["quad"]),
            goldstein=self.p.score(event_type, mode),
            source=[a.model_copy() for a in source],
            target=[a.model_copy() for a in target],
            locations=locations,
            date=date,
            quantities=quantities,
            modality=modality,
            attribution=attribution,
            trigger=TextSpan(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text)),
            sentence=SentenceSpan(text=sent.text.strip(), start=sent.start_char, end=sent.start_char + len(sent.text.rstrip()), index=si),
            rule=rule,
        )
        if discourse and not target:
            self.pending_discourse.append((event, tok))
        return event, ""

    def _reading(self, tok: Token, p: Pattern, gov: Token | None, scope: set[int], source: list[Actor],
                 target: list[Actor]) -> tuple[str, str | None, str, str, str]:
        """(event type, mode, CAMEO, modality, rule) of a built event: the pattern's reading, turned into
        what PLOVER codes for intentions, refusals, threats, preparations and the kinds of act that
        depend on who acts on whom."""
        lemma = tok.lemma_.lower()
        mode = p.mode or self._mode(tok, p.event_type, scope)
        event_type = p.event_type
        cameo = p.cameo
        modality = modality_of(tok, gov)
        rule = p.rule
        condition = _condition(tok, gov)
        if source and (condition == "unless" and modality in ("future", "hypothetical")
                       or condition and modality == "hypothetical" and event_type in INTENT_TO_THREATEN
                       and any(a.lemma_.lower() in REPORTING_VERBS for a in tok.ancestors)):
            # "will withdraw its force unless ...", "may halt mediation if ...": a consequence held over
            # the other side is a threat (PLOVER THREATEN)
            mode, cameo = INTENT_TO_THREATEN.get(event_type, (None, "130"))
            event_type, modality, rule = "THREATEN", "asserted", f"{p.rule}+condition"
        elif modality == "future" and event_type in INTENT_TO_AGREE:
            # PLOVER: a promise or stated intention to cooperate is itself an AGREE event
            event_type, mode, cameo, modality, rule = "AGREE", None, "030", "asserted", f"{p.rule}+intent"
        elif modality == "negated" and event_type in INTENT_TO_AGREE | {"AGREE"} and source:
            # ... and refusing to cooperate ("will not accept", "failed to reach agreement") is REJECT
            event_type, mode, cameo, modality, rule = "REJECT", None, "120", "asserted", f"{p.rule}+refusal"
        elif (modality == "future" and event_type == "ASSAULT" and _preparing(tok, self.p.lexicon["readiness"])
              and any(a.sector in ARMED_SECTORS for a in source)):
            # "the army prepared to resume shelling": forces readied for an attack (CAMEO 15, MOBILIZE)
            event_type, mode, cameo, modality, rule = "MOBILIZE", "troops", "150", "asserted", f"{p.rule}+preparation"
        elif modality == "future" and event_type in INTENT_TO_THREATEN:
            # ... and an announced coercive or violent act is a THREATEN event
            mode, cameo = INTENT_TO_THREATEN[event_type]
            event_type, modality, rule = "THREATEN", "asserted", f"{p.rule}+intent"
        if event_type == "COERCE" and mode == "deport" and target and all(
                a.country in ORG_CODES or a.kind in ("igo", "ngo") or a.sector in ("IGO", "NGO") for a in target):
            # expelling an international organisation, aid agency or NGO is PLOVER SANCTION 'expel'
            event_type, mode, cameo, rule = "SANCTION", "expel", "166", f"{rule}+organisation"
        elif (p.rule == "retreat.allow" and target
              and all(a.sector in ("OPP", "PTY", "CVL", "LAB", "REL", "EDU") for a in target)):
            # allowing the opposition or citizens to act is easing political restrictions (CONCEDE)
            event_type, mode, cameo, rule = "CONCEDE", None, "081", f"{rule}+rights"
        if event_type == "ASSAULT" and lemma in ("raid", "search", "storm") and source and all(
                a.sector in ("COP", "GOV", "JUD", "SPY") for a in source):
            # a police or state raid of premises is a search and seizure (PLOVER COERCE 'seize')
            event_type, mode, cameo, rule = "COERCE", "seize", "171", f"{rule}+police"
        if event_type == "MOBILIZE" and _mentions(tok, self.p.lexicon["peacekeeping"]):
            # sending peacekeepers is military assistance (CAMEO 074, PLOVER AID)
            event_type, mode, cameo, rule = "AID", None, "074", f"{p.rule}+peacekeeping"
        elif (event_type == "AID" and lemma in self.p.lexicon["capacity_verbs"]
              and not {a.country for a in target if a.country} - {a.country for a in source}):
            # "North Korea trained 500 hackers": building one's own forces, not aiding another (MOBILIZE)
            event_type, mode, cameo, rule = "MOBILIZE", "troops", "150", f"{p.rule}+own-forces"
        return event_type, mode, cameo, modality, rule

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

    def _contexts(self, sent: Span, actors: list[Actor]) -> list[str]:
        """PLOVER contexts from cue words in the sentence and the actors' sectors."""
        key = sent.start
        if key not in self.sentence_cues:
            words: set[str] = set()
            toks = [t for t in sent if t.ent_type_ not in ("PERSON", "ORG", "WORK_OF_ART", "FAC")]
            for i, t in enumerate(toks):
                lemma = t.lemma_.lower()
                words |= {lemma, t.lower_}
                if i + 1 < len(toks):
                    words.add(f"{lemma} {toks[i + 1].lemma_.lower()}")
                    words.add(f"{t.lower_} {toks[i + 1].lower_}")
            self.sentence_cues[key] = words
        words = self.sentence_cues[key]
        found = [ctx for ctx, cues in self.p.contexts.items() if words & cues]
        sectors = {a.sector for a in actors}
        found += [ctx for ctx, secs in self.p.context_sectors.items() if sectors & secs and ctx not in found]
        found += [ctx for code, ctx in self.p.context_countries.items() if any(a.country == code for a in actors) and ctx not in found]
        return found

    def _locations(self, tok: Token, scope: set[int], sent: Span, actors: list[Actor]) -> tuple[list[Place], list[Place]]:
        """(places of the event, the subset inside the trigger's own clause)."""
        actor_spans = {(a.start, a.end) for a in actors}
        found: list[Place] = []
        fallback: list[Place] = []
        for place, rng in self.place_tokens:
            if (place.start, place.end) in actor_spans or rng.start < sent.start or rng.start >= sent.end:
                continue
            head = self.doc[rng.start]
            for i in rng:
                if self.doc[i].head.i not in rng:
                    head = self.doc[i]
            anchor = head
            while anchor.dep_ == "conj":
                anchor = anchor.head
            locative = anchor.dep_ == "pobj" and anchor.head.lower_ in LOCATIVE_PREPS
            if not locative and anchor.dep_ == "pobj" and anchor.head.lower_ == "of":
                outer = anchor.head.head  # "the city of Kharkiv", "the town of Kidal"
                locative = outer.dep_ in ("dobj", "nsubjpass") or (outer.dep_ == "pobj" and outer.head.lower_ in LOCATIVE_PREPS)
                anchor = outer
            if not locative and anchor.dep_ in ("dobj", "nsubjpass") and anchor.head.i == tok.i:
                locative = True
            if locative and any(t.dep_ == "prep" and t.lower_ in TEMPORAL_PREPS for t in _path_up(anchor, tok)):
                continue
            if locative and anchor.i in scope:
                found.append(place)
            elif locative:
                fallback.append(place)
        return [pl.model_copy() for pl in (found or fallback)], found

    def _date(self, tok: Token, gov: Token | None, scope: set[int], sent: Span) -> DateValue | None:
        chain = [tok] + ([gov] if gov is not None else []) + head_chain(gov or tok)
        best: tuple[int, DateValue] | None = None
        for time, rng in self.time_tokens:
            if rng.start < sent.start or rng.start >= sent.end:
                continue
            if any(i in scope for i in rng):
                rank = 0
            else:
                heads = {self.doc[i].head.i for i in rng} - set(rng)
                heads |= {self.doc[h].head.i for h in heads if self.doc[h].dep_ == "prep"}
                rank = next((k + 1 for k, t in enumerate(chain) if t.i in heads), None)
                if rank is None:
                    continue
            if best is None or rank < best[0]:
                best = (rank, time.date)
        if best is not None:
            return best[1].model_copy()
        if self.inputs.published:
            return DateValue(value=self.inputs.published, precision="day", text=None)
        return None

    def _attribution(self, tok: Token) -> Attribution | None:
        best: AttributionScope | None = None
        for scope in self.inputs.attributions:
            if tok.i in scope.tokens and (best is None or len(scope.tokens) < len(best.tokens)):
                best = scope
        return best.attribution.model_copy() if best else None

    def resolve_discourse(self, events: list[Event]) -> None:
        """Fill targets such as "vowed to retaliate": the last actor that acted against the source."""
        for event, _tok in self.pending_discourse:
            countries = {a.country for a in event.source if a.country}
            names = {a.name for a in event.source if a.name}
            for prior in sorted(events, key=lambda e: e.trigger.start, reverse=True):
                if prior.trigger.start >= event.trigger.start or not prior.source:
                    continue
                hit = {a.country for a in prior.target} & countries or {a.name for a in prior.target} & names
                if hit:
                    event.target = [a.model_copy(update={"kind": "reference"}) for a in prior.source]
                    break


def _path_up(token: Token, stop: Token) -> list[Token]:
    """Tokens from token up to (not including) stop, or to the root."""
    out = []
    while token.i != stop.i and token.head.i != token.i:
        out.append(token)
        token = token.head
    return out


def _merge_into(parent: Event, child: Event) -> None:
    """Fold a continuation ("..., killing 12 civilians") into the event it continues."""
    have = {(a.start, a.country, a.sector) for a in parent.target}
    parent.target += [a for a in child.target if (a.start, a.country, a.sector) not in have]
    parent.quantities += [q for q in child.quantities if q not in parent.quantities]
    parent.locations += [pl for pl in child.locations if pl not in parent.locations]


def _dedupe(actors: list[Actor]) -> list[Actor]:
    seen: set[int] = set()
    out = []
    for actor in actors:
        if id(actor) not in seen:
            seen.add(id(actor))
            out.append(actor)
    return out
