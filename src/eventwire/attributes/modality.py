"""Modality of an event mention: asserted, negated, future or hypothetical, from its clause.

The words it reads (auxiliaries, governing verbs, marks) are in ``data/attributes/modality.yaml``;
the verbs of saying are the ``reporting_verbs`` of ``data/attributes/attribution.yaml`` that
take the reading ``intent``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from ..resources import Resources, default_resources

WORDS_FILE = "attributes/modality.yaml"
REPORTING_FILE = "attributes/attribution.yaml"  # reporting_verbs: one list with attribution


def _aux(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


class Modality:
    """Reads the modality of event triggers with the word classes of one Resources."""

    def __init__(self, resources: Resources) -> None:
        w = {k: frozenset(v) for k, v in resources.yaml(WORDS_FILE).items()}
        self.future_aux = w["future_aux"]
        self.hypothetical_aux = w["hypothetical_aux"]
        self.future_in_past_aux = w["future_in_past_aux"]
        self.other_hypothetical_aux = self.hypothetical_aux - self.future_in_past_aux
        self.past_aux = w["past_aux"]
        self.present_aux = w["present_aux"] | self.future_aux
        self.future_governors = w["future_governors"]
        self.hypothetical_governors = w["hypothetical_governors"]
        self.negating_governors = w["negating_governors"]
        self.negating_determiners = w["negating_determiners"]
        self.conditional_marks = w["conditional_marks"]
        self.prospective_marks = w["prospective_marks"]
        self.attempt_governors = w["attempt_governors"]
        self.mandative = w["mandative"]
        self.reporting_verbs = reporting_verbs(resources, "intent")

    def _negated(self, tok: Token) -> bool:
        if any(c.dep_ == "neg" for c in tok.children):
            return True
        return any(c.dep_ == "det" and c.lower_ in self.negating_determiners for c in tok.children)

    def _demanded(self, tok: Token) -> bool:
        """True inside a that-clause or to-clause that gives the content of a demand or proposal."""
        t = tok
        while t.head.i != t.i:
            if t.dep_ in ("ccomp", "acl", "xcomp", "advcl", "relcl") and t.head.lemma_.lower() in self.mandative:
                return t.dep_ != "relcl" or t.head.pos_ == "VERB"
            if t.dep_ in ("ROOT", "parataxis"):
                return False
            t = t.head
        return False


    @staticmethod
    def _subjunctive(clause: Token) -> bool:
        """A that-clause with a bare verb and a singular subject ("... that Israel ease restrictions")."""
        if clause.tag_ not in ("VB", "VBP") or clause.dep_ not in ("ccomp", "acl") or _aux(clause):
            return False
        kids = list(clause.children)
        if not any(c.dep_ == "mark" and c.lower_ == "that" for c in kids):
            return False
        return any(c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in kids)


    def _in_condition(self, tok: Token) -> bool:
        """True inside an if/unless clause, or a before/until clause about what has not happened yet."""
        for t in (tok, *tok.ancestors):
            if t.dep_ != "advcl":
                continue
            marks = {c.lower_ for c in t.children if c.dep_ == "mark"}
            if marks & self.conditional_marks:
                return True
            if marks & self.prospective_marks and (t.tag_ in ("VB", "VBP", "VBZ") and not _aux(t) & self.past_aux
                                                   or _aux(t) & self.present_aux):
                return True
        return False


    def _reported_past(self, clause: Token) -> bool:
        """True when the clause is reported by a past-tense verb of saying ("said it would ...")."""
        if clause.dep_ not in ("ccomp", "parataxis") or clause.head.i == clause.i:
            return False
        head = clause.head
        if head.lemma_.lower() not in self.reporting_verbs:
            return False
        if head.tag_ in ("VBD", "VBN"):
            return True
        # "was quoted as saying he would ...", "saying it would ..." after a past main verb
        return head.tag_ == "VBG" and any(t.tag_ in ("VBD", "VBN") for t in head.ancestors)


    def of(self, trigger: Token, governor: Token | None = None) -> str:
        """asserted | negated | future | hypothetical, read from the trigger, its governing verb and
        the verbs that control it (xcomp chains) up to the clause boundary. A coordinated verb
        shares the auxiliaries of its head only when it has none of its own."""
        chain = [trigger]
        if governor is not None:
            chain.append(governor)
        tok = chain[-1]
        while tok.dep_ in ("xcomp", "pcomp", "prep", "pobj", "advcl") and tok.head.i != tok.i:
            if tok.dep_ == "advcl" and "to" not in _aux(tok):
                break
            tok = tok.head
            chain.append(tok)
        aux_chain = list(chain)
        last = chain[-1]
        while last.dep_ == "conj" and last.head.i != last.i and not _aux(last):
            last = last.head
            aux_chain.append(last)
        if any(self._negated(t) for t in chain):
            return "negated"
        for t in chain[1:]:
            if t.lemma_.lower() in self.negating_governors:
                return "negated"
        marks = {c.lower_ for t in aux_chain for c in t.children if c.dep_ == "mark"}
        if (marks & self.conditional_marks or self._in_condition(trigger) or self._demanded(trigger)
            or self._subjunctive(chain[-1])):
            return "hypothetical"
        auxes = set().union(*(_aux(t) for t in aux_chain))
        if (auxes & self.future_in_past_aux and not auxes & self.other_hypothetical_aux
            and self._reported_past(aux_chain[-1])):
            return "future"
        if auxes & self.hypothetical_aux:
            return "hypothetical"
        governors = {t.lemma_.lower() for t in chain[1:]}
        if auxes & self.future_aux or governors & self.future_governors:
            return "future"
        if governors & self.hypothetical_governors:
            return "hypothetical"
        if any("to" in _aux(t) and t.dep_ in ("advcl", "acl", "xcomp", "relcl", "ccomp", "pcomp")
               and t.head.lemma_.lower() not in self.attempt_governors for t in chain):
            return "hypothetical"  # an infinitive of purpose or intent is not a reported act
        if trigger.tag_ == "VB" and trigger.dep_ == "ROOT" and not auxes:
            return "hypothetical"  # imperative or bare infinitive at the root
        if trigger.doc[trigger.sent.end - 1].text == "?":
            return "hypothetical"
        return "asserted"


def reporting_verbs(resources: Resources, reading: str) -> frozenset[str]:
    """The verbs of saying (attribution.yaml ``reporting_verbs``) that take part in ``reading``
    (``source``: attribution; ``intent``: "said it would" is a stated intention)."""
    return frozenset(verb for verb, readings in resources.yaml(REPORTING_FILE)["reporting_verbs"].items()
                     if reading in readings)


@lru_cache(maxsize=8)
def _modality(resources: Resources) -> Modality:
    return Modality(resources)


def modality_of(trigger: Token, governor: Token | None = None, resources: Resources | None = None) -> str:
    """asserted | negated | future | hypothetical (see :meth:`Modality.of`), with the word classes
    of ``resources`` (default: the bundled data)."""
    return _modality(resources or default_resources()).of(trigger, governor)


def __getattr__(name: str) -> frozenset[str]:
    """``REPORTING_VERBS``, for callers that still import it (events/extract.py): the bundled
    reporting verbs with the reading ``intent``. New code calls :func:`reporting_verbs` instead."""
    if name == "REPORTING_VERBS":
        return reporting_verbs(default_resources(), "intent")
    raise AttributeError(name)
