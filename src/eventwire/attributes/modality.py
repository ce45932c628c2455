"""Modality of an event mention: asserted, negated, future or hypothetical, from its clause."""

from __future__ import annotations

from spacy.tokens import Token

FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"could", "may", "might", "would", "should", "can", "must", "ca", "'d"}
FUTURE_GOVERNORS = {"plan", "intend", "prepare", "schedule", "expect", "set", "aim", "due", "decide", "announce",
                    "vote", "agree", "seek", "hope", "want", "propose", "consider", "mull",
                    "about", "going", "go", "ready", "poised", "likely", "able", "unable"}
HYPOTHETICAL_GOVERNORS = {"threaten", "fear", "warn", "risk", "could", "may", "might", "if", "unless", "whether",
                          "prevent", "avoid", "deter", "stop", "urge", "call", "demand", "ask", "predict", "suggest",
                          "possible", "likely", "imagine"}
NEGATING_GOVERNORS = {"deny", "refute", "fail", "refrain", "reject", "dismiss", "halt", "cancel", "abandon"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# "before they demobilize", "until their demands are met": not yet happened when the verb is not past
PROSPECTIVE_MARKS = {"before", "until", "till", "once"}
# "attempted to assassinate", "an attempt to storm": the attempt itself is a reported act
ATTEMPT_GOVERNORS = {"attempt", "try"}
# "demanded that Israel ease restrictions", "a call for X to withdraw": the content of a demand or
# proposal is wanted, not done
MANDATIVE = {"demand", "insist", "urge", "request", "ask", "propose", "suggest", "recommend", "call", "order",
             "appeal", "plea", "proposal", "admission", "reminder", "require", "requirement", "condition", "want"}
# "Iraq said it would allow ...": "would" under a past reporting verb is the future of the past, a
# stated intention, not a hypothetical
REPORTING_VERBS = {"say", "announce", "tell", "state", "declare", "confirm", "indicate", "pledge", "promise", "vow",
                   "add", "insist", "signal", "assure", "reply", "write", "decide", "report", "quote", "explain",
                   "reiterate", "stress", "warn", "threaten", "agree", "notify", "inform", "predict"}


def _aux(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(c.dep_ == "det" and c.lower_ in ("no",) for c in tok.children)


def _demanded(tok: Token) -> bool:
    """True inside a that-clause or to-clause that gives the content of a demand or proposal."""
    t = tok
    while t.head.i != t.i:
        if t.dep_ in ("ccomp", "acl", "xcomp", "advcl", "relcl") and t.head.lemma_.lower() in MANDATIVE:
            return t.dep_ != "relcl" or t.head.pos_ == "VERB"
        if t.dep_ in ("ROOT", "parataxis"):
            return False
        t = t.head
    return False


def _subjunctive(clause: Token) -> bool:
    """A that-clause with a bare verb and a singular subject ("... that Israel ease restrictions")."""
    if clause.tag_ not in ("VB", "VBP") or clause.dep_ not in ("ccomp", "acl") or _aux(clause):
        return False
    kids = list(clause.children)
    if not any(c.dep_ == "mark" and c.lower_ == "that" for c in kids):
        return False
    return any(c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in kids)


def _in_condition(tok: Token) -> bool:
    """True inside an if/unless clause, or a before/until clause about what has not happened yet."""
    for t in (tok, *tok.ancestors):
        if t.dep_ != "advcl":
            continue
        marks = {c.lower_ for c in t.children if c.dep_ == "mark"}
        if marks & CONDITIONAL_MARKS:
            return True
        if marks & PROSPECTIVE_MARKS and (t.tag_ in ("VB", "VBP", "VBZ") and not _aux(t) & {"did", "was", "were", "had"}
                                          or _aux(t) & ({"is", "are", "am", "has", "have"} | FUTURE_AUX)):
            return True
    return False


def _reported_past(clause: Token) -> bool:
    """True when the clause is reported by a past-tense verb of saying ("said it would ...")."""
    if clause.dep_ not in ("ccomp", "parataxis") or clause.head.i == clause.i:
        return False
    head = clause.head
    if head.lemma_.lower() not in REPORTING_VERBS:
        return False
    if head.tag_ in ("VBD", "VBN"):
        return True
    # "was quoted as saying he would ...", "saying it would ..." after a past main verb
    return head.tag_ == "VBG" and any(t.tag_ in ("VBD", "VBN") for t in head.ancestors)


def modality_of(trigger: Token, governor: Token | None = None) -> str:
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
    if any(_negated(t) for t in chain):
        return "negated"
    for t in chain[1:]:
        if t.lemma_.lower() in NEGATING_GOVERNORS:
            return "negated"
    marks = {c.lower_ for t in aux_chain for c in t.children if c.dep_ == "mark"}
    if marks & CONDITIONAL_MARKS or _in_condition(trigger) or _demanded(trigger) or _subjunctive(chain[-1]):
        return "hypothetical"
    auxes = set().union(*(_aux(t) for t in aux_chain))
    if auxes & {"would", "'d"} and not auxes & (HYPOTHETICAL_AUX - {"would", "'d"}) and _reported_past(aux_chain[-1]):
        return "future"
    if auxes & HYPOTHETICAL_AUX:
        return "hypothetical"
    governors = {t.lemma_.lower() for t in chain[1:]}
    if auxes & FUTURE_AUX or governors & FUTURE_GOVERNORS:
        return "future"
    if governors & HYPOTHETICAL_GOVERNORS:
        return "hypothetical"
    if any("to" in _aux(t) and t.dep_ in ("advcl", "acl", "xcomp", "relcl", "ccomp", "pcomp")
           and t.head.lemma_.lower() not in ATTEMPT_GOVERNORS for t in chain):
        return "hypothetical"  # an infinitive of purpose or intent is not a reported act
    if trigger.tag_ == "VB" and trigger.dep_ == "ROOT" and not auxes:
        return "hypothetical"  # imperative or bare infinitive at the root
    if trigger.doc[trigger.sent.end - 1].text == "?":
        return "hypothetical"
    return "asserted"
