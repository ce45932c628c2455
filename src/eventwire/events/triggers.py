"""Trigger matching: which patterns fire on which tokens, and whether their constraints hold.

A vectorised pre-filter finds tokens whose lemma or form is a trigger word; each pattern whose
lemma (single or multi-word) matches is checked against its constraints (particles, objects,
infinitives, modifiers, reported clauses, governing verbs). A trigger that only mentions an act
as background (``after the attack``, a relative clause, a charge) is recognised here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from .patterns import Pattern, PatternSet
from .syntax import Grammar, conjuncts_down, direct_object, governor, particles, prep_objects

NAME_ENTITIES = {"ORG", "PERSON", "GPE", "FAC", "LOC", "WORK_OF_ART", "LAW", "NORP", "PRODUCT"}


class TriggerMatcher:
    """Find trigger tokens and the patterns whose constraints they satisfy."""

    def __init__(self, patterns: PatternSet) -> None:
        self.p = patterns
        self.g = patterns.grammar
        self._hashes: np.ndarray | None = None

    def trigger_tokens(self, doc: Doc) -> list[Token]:
        """Tokens whose lemma or lower-case form is a trigger word (vectorised pre-filter)."""
        if not len(doc):
            return []
        if self._hashes is None:
            self._hashes = np.array(sorted({hash_string(k) for k in self.p.index}), dtype="uint64")
        arr = doc.to_array([LEMMA, LOWER])
        mask = np.isin(arr[:, 0], self._hashes) | np.isin(arr[:, 1], self._hashes)
        return [doc[int(i)] for i in np.flatnonzero(mask)]

    def patterns_for(self, tok: Token) -> list[tuple[Pattern, int]]:
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
            words = [n for key in {lemma, tok.lower_} for n, w in pattern.by_last.get(key, ()) if multiword_ok(tok, w)]
            if not words:
                continue
            out.append((pattern, max(words)))
        return out

    def constraints(self, tok: Token, p: Pattern) -> tuple[bool, str]:
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
        obj_lemmas = np_lemmas(obj, self.p.lexicon) if obj is not None else set()
        if lemma in p.needs_object and obj is None and not (tok.pos_ == "VERB" and self.g.is_passive(tok)):
            # "allowed the opposition leader to hold a rally": the object is the subject of the infinitive
            ecm = ecm_object(tok)
            if ecm is None:
                return False, "needs a direct object"
            obj = ecm
        if p.object is not None:
            if obj is None and tok.pos_ == "VERB" and self.g.is_passive(tok):
                subj, _ = self.g.grammatical_subject(tok)
                obj_lemmas = np_lemmas(subj, self.p.lexicon) if subj is not None else set()
            kinds = obj_lemmas
            if not kinds & p.object and p.particle and tok.pos_ == "VERB":
                # "supplied Ukraine with missiles": what is given may be the particle's object
                kinds = set().union(*(np_lemmas(o, self.p.lexicon) for o in prep_objects(tok, set(p.particle))))
            if not kinds & p.object:
                return False, "object is not of the required kind"
        if obj_lemmas and obj is not None and obj.lemma_.lower() in p.not_object:
            return False, f"object '{obj.text}' excludes this reading"
        if lemma in p.object_for and not obj_lemmas & p.object_for[lemma]:
            return False, f"'{lemma}' needs an object among {sorted(p.object_for[lemma])[:6]}"
        if p.xcomp is not None:
            xcomps = [c for c in tok.children if c.dep_ == "xcomp"] + gerunds_after_to(tok)
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
            gov = governor_of(tok, self.p)
            if gov is None or gov.lemma_.lower() not in p.governed_by:
                return False, "noun is not governed by a licensing verb"
        return True, ""


def constrained(p: Pattern, lemma: str) -> int:
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


def background(tok: Token, actor_tokens: set[int] | dict[int, Any], lex: dict[str, frozenset[str]], g: Grammar) -> str:
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
                if head.lower_ in g.background_preps:
                    return f"mentioned as background ('{head.text} ...')"
                before = tok.doc[head.i - 1] if head.i > 0 else head
                if head.lower_ in g.cause_preps and (
                        head.head.lemma_.lower() in lex["cause_nouns"] or before.lemma_.lower() in lex["cause_nouns"]):
                    return f"the cause of another act ('{before.text} {head.text} ...')"
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN",):
        return "a participle describing a noun, not a reported event"
    if tok.dep_ in ("pcomp", "pobj") and tok.head.dep_ == "prep" and tok.head.lower_ in g.charge_preps \
            and tok.head.head.lemma_.lower() in lex["charge_words"] and tok.head.head.dep_ in ("acl", "relcl", "amod"):
        return f"the charge against someone ('{tok.head.head.text} {tok.head.text} ...'), not a reported act"
    if tok.dep_ == "acl" and tok.head.lemma_.lower() in lex["documents"]:
        return f"the content of a {tok.head.lemma_.lower()}, not an act"
    for t in (tok, *tok.ancestors):
        if t.dep_ == "relcl" and t.head.i not in actor_tokens and word_before(t.left_edge) not in actor_tokens:
            # "a resolution that aims to tighten sanctions", "raids in which 20 people were killed";
            # "guerrillas who overran the village" describes an actor's act and stays
            return f"inside a relative clause describing '{t.head.text}', not an actor"
        if t.dep_ == "advcl" and t.tag_ in ("VBD", "VBN") and any(
                m.dep_ == "mark" and m.lower_ in g.background_preps for m in t.children):
            return "an earlier act that dates the reported one ('after ...', 'since ...')"
    return ""


def governor_of(tok: Token, patterns: PatternSet) -> Token | None:
    """The verb governing a noun trigger, through the pattern file's light nouns ("launched a mediation effort")."""
    return governor(tok, patterns.lexicon["light_nouns"])


def gerunds_after_to(tok: Token) -> list[Token]:
    """Gerunds that stand for a controlled infinitive ("committed to opening up", "ready to help")."""
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
            for g in c.children if g.dep_ in ("pcomp", "pobj") and g.tag_ == "VBG"]


def ecm_object(tok: Token) -> Token | None:
    """The subject of an infinitive that stands for the verb's object ("allowed the leader to hold ...")."""
    return next((s for c in tok.children if c.dep_ in ("ccomp", "xcomp") for s in c.children if s.dep_ == "nsubj"), None)


def word_before(tok: Token) -> int:
    """Index of the nearest word before tok, skipping punctuation (-1 at the start)."""
    i = tok.i - 1
    while i >= 0 and tok.doc[i].is_punct:
        i -= 1
    return i


def np_lemmas(token: Token | None, lex: dict[str, frozenset[str]]) -> set[str]:
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
                        out.update(np_lemmas(o, lex))
    return out


def multiword_ok(tok: Token, phrase: str) -> bool:
    words = phrase.split()
    if len(words) == 1:
        return True
    doc = tok.doc
    start = tok.i - (len(words) - 1)
    if start < 0:
        return False
    before = [doc[i].lower_ for i in range(start, tok.i)]
    return before == words[:-1] or [doc[i].lemma_.lower() for i in range(start, tok.i)] == words[:-1]
