"""Past or future: the tense of the clause that governs a temporal expression."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .lexicon import load_lexicon

_CUES = load_lexicon().cues  # data/dates/cues.yaml
FUTURE_AUX = _CUES["future_auxiliaries"]
MODAL_FUTURE = _CUES["modals"]
FUTURE_HEADS = _CUES["future_heads"]
PLANNED = _CUES["planned_participles"]  # "talks planned for May"
REPORTING = _CUES["reporting_verbs"]
# a date between a speech verb and the reported clause dates the saying
SPEECH = REPORTING | _CUES["speech_verbs"]
DECLINE = _CUES["declining_verbs"]  # "would not say Thursday": past


def _verb(tok: Token) -> Token | None:
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") or tok.tag_ == "MD":
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _tense(verb: Token, depth: int = 0) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & FUTURE_AUX:
        return "future"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        if lowers & {"was", "were", "had", "has", "have", "been"}:
            return "past"
        if "be" in lowers and lowers & MODAL_FUTURE:
            return "future"  # passive after a modal: "would be redeemed"
        if lowers & {"is", "are", "am", "be"}:
            return "future" if verb.lemma_ in FUTURE_HEADS else None
        if not auxes and verb.dep_ in ("acl", "advcl"):
            # reduced relative or participle clause: "products introduced in April", "announced Friday, ..."
            return "future" if verb.lemma_ in PLANNED else "past"
    if verb.tag_ == "VBG" and auxes:
        if lowers & {"is", "are", "am", "'s", "'re", "’s", "’re"}:
            return "future"
        if lowers & {"was", "were"}:
            return "past"
    if verb.tag_ in ("VBZ", "VBP") and not auxes:
        if verb.lemma_ == "be" and any(c.dep_ == "xcomp" for c in verb.children):
            return "future"  # "is to resume"
        return None if verb.lemma_ in REPORTING or verb.lemma_ == "be" else "present"
    if verb.tag_ in ("VB", "VBN") and verb.lemma_ in DECLINE and lowers & {"would", "could", "wo", "ca"} and any(
        c.dep_ == "neg" for c in verb.children
    ):
        return "past"
    if verb.tag_ == "VB":
        if lowers & {"did", "had"}:
            return "past"
        if lowers & MODAL_FUTURE:
            return "future"
        if lowers & {"does", "do"}:
            return None
    head = verb.head
    if depth < 3 and head is not verb and verb.dep_ in ("xcomp", "ccomp", "advcl", "conj", "relcl", "acl"):
        if verb.dep_ == "xcomp" and head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP"):
            return "future"
        if verb.dep_ == "xcomp" and head.lemma_ in FUTURE_HEADS:
            head_aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
            if head.dep_ in ("acomp", "attr") and head.head is not head:  # "had been due to expire"
                head_aux |= {c.lower_ for c in head.head.children if c.dep_ in ("aux", "auxpass")}
            return "past" if head_aux & {"had"} else "future"
        if verb.dep_ in ("xcomp", "conj", "acl", "advcl"):
            return _tense(head, depth + 1)
    return None


def direction(doc: Doc | None, start: int, end: int) -> str | None:
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
    if verb.dep_ == "ccomp" and head is not verb and head.lemma_ in SPEECH and head.i < span.root.i:
        subject = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "mark")]
        if subject and span.root.i < min(subject):
            return _tense(head)  # the date sits between the speech verb and the reported clause
    return _tense(verb)
