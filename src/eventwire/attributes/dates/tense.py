"""Past or future: the tense of the clause that governs a temporal expression."""

from __future__ import annotations

from spacy.tokens import Doc, Token


class TenseCues:
    """The words of data/dates/cues.yaml that decide the tense of a clause."""

    def __init__(self, cues: dict[str, frozenset[str]]) -> None:
        self.future_aux = cues["future_auxiliaries"]
        self.modal_future = cues["modals"]
        self.future_heads = cues["future_heads"]
        self.planned = cues["planned_participles"]  # "talks planned for May"
        self.reporting = cues["reporting_verbs"]
        # a date between a speech verb and the reported clause dates the saying
        self.speech = self.reporting | cues["speech_verbs"]
        self.decline = cues["declining_verbs"]  # "would not say Thursday": past
        self.past_aux = cues["past_auxiliaries"]
        self.present_be = cues["present_be"]
        self.progressive_present = cues["progressive_present"]
        self.progressive_past = cues["progressive_past"]
        self.declining_modals = cues["declining_modals"]
        self.past_do = cues["past_do"]
        self.present_do = cues["present_do"]
        self.pluperfect = cues["pluperfect"]


def _verb(tok: Token) -> Token | None:
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") or tok.tag_ == "MD":
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _tense(verb: Token, cues: TenseCues, depth: int = 0) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & cues.future_aux:
        return "future"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        if lowers & cues.past_aux:
            return "past"
        if "be" in lowers and lowers & cues.modal_future:
            return "future"  # passive after a modal: "would be redeemed"
        if lowers & cues.present_be:
            return "future" if verb.lemma_ in cues.future_heads else None
        if not auxes and verb.dep_ in ("acl", "advcl"):
            # reduced relative or participle clause: "products introduced in April", "announced Friday, ..."
            return "future" if verb.lemma_ in cues.planned else "past"
    if verb.tag_ == "VBG" and auxes:
        if lowers & cues.progressive_present:
            return "future"
        if lowers & cues.progressive_past:
            return "past"
    if verb.tag_ in ("VBZ", "VBP") and not auxes:
        if verb.lemma_ == "be" and any(c.dep_ == "xcomp" for c in verb.children):
            return "future"  # "is to resume"
        return None if verb.lemma_ in cues.reporting or verb.lemma_ == "be" else "present"
    if verb.tag_ in ("VB", "VBN") and verb.lemma_ in cues.decline and lowers & cues.declining_modals and any(
        c.dep_ == "neg" for c in verb.children
    ):
        return "past"
    if verb.tag_ == "VB":
        if lowers & cues.past_do:
            return "past"
        if lowers & cues.modal_future:
            return "future"
        if lowers & cues.present_do:
            return None
    head = verb.head
    if depth < 3 and head is not verb and verb.dep_ in ("xcomp", "ccomp", "advcl", "conj", "relcl", "acl"):
        if verb.dep_ == "xcomp" and head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP"):
            return "future"
        if verb.dep_ == "xcomp" and head.lemma_ in cues.future_heads:
            head_aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
            if head.dep_ in ("acomp", "attr") and head.head is not head:  # "had been due to expire"
                head_aux |= {c.lower_ for c in head.head.children if c.dep_ in ("aux", "auxpass")}
            return "past" if head_aux & cues.pluperfect else "future"
        if verb.dep_ in ("xcomp", "conj", "acl", "advcl"):
            return _tense(head, cues, depth + 1)
    return None


def direction(doc: Doc | None, start: int, end: int, cues: TenseCues) -> str | None:
    """"past", "future", "present" (simple present) or None (unknown) for the clause around text[start:end]."""
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = _verb(span.root)
    if verb is None:
        return None
    head = verb.head
    if verb.dep_ == "ccomp" and head is not verb and head.lemma_ in cues.speech and head.i < span.root.i:
        subject = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "mark")]
        if subject and span.root.i < min(subject):
            return _tense(head, cues)  # the date sits between the speech verb and the reported clause
    return _tense(verb, cues)
