"""Dependency helpers shared by the event rules: subjects through coordination and control,
voice, prepositional objects, governing verbs and pruned phrase spans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from spacy.tokens import Token

CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "parataxis", "csubj", "xcomp"}
PRUNE_DEPS = CLAUSE_DEPS | {"prep", "appos", "punct", "cc", "mark", "agent"}

@dataclass(frozen=True)
class Grammar:
    """The function-word classes of ``data/patterns/grammar.yaml``, and the dependency helpers that read them."""

    relative_pronouns: frozenset[str]
    object_control: frozenset[str]
    stative_participles: frozenset[str]
    stative_preps: frozenset[str]
    charge_gerund_preps: frozenset[str]
    locative_preps: frozenset[str]
    temporal_preps: frozenset[str]
    background_preps: frozenset[str]
    cause_preps: frozenset[str]
    charge_preps: frozenset[str]
    owner_preps: frozenset[str]
    object_phrase_preps: frozenset[str]
    infinitive_target_preps: frozenset[str]
    owner_phrase_preps: frozenset[str]
    disaster_cause_preps: frozenset[str]
    condition_marks: frozenset[str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Grammar:
        return cls(**{f.name: frozenset(str(w).lower() for w in data[f.name]) for f in fields(cls)})

    def is_passive(self, verb: Token) -> bool:
        # participles that describe a state of the subject, not an act done to it ("is committed to")
        if verb.lemma_.lower() in self.stative_participles and any(
                c.dep_ == "prep" and c.lower_ in self.stative_preps for c in verb.children) and not any(
                c.dep_ == "agent" for c in verb.children):
            return False
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            return True
        if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.i != verb.i and verb.head.tag_ == "VBN" \
                and not any(c.dep_ in ("nsubj", "aux") for c in verb.children):
            return self.is_passive(verb.head)  # "were detained and tortured": both passive
        return verb.dep_ == "acl" and verb.tag_ == "VBN"

    def grammatical_subject(self, verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
        """(subject head token, subject-is-passive-subject) for a verb, looking through coordination,
        control (xcomp), participial and relative clauses."""
        if depth > 6:
            return None, False
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj", "expl"):
                return child, False
            if child.dep_ == "nsubjpass":
                return child, self.is_passive(verb)
        for aux in verb.children:  # "Morocco is opposed": the parser may hang the subject on the auxiliary
            if aux.dep_ in ("aux", "auxpass") and aux.i > 0:
                for child in aux.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        return child, self.is_passive(verb)
        head = verb.head
        if head.i == verb.i:
            return None, False
        if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            subj, _ = self.grammatical_subject(head, depth + 1)
            return subj, self.is_passive(verb) and subj is not None
        if verb.dep_ == "xcomp":
            if head.lemma_.lower() in self.object_control:
                for child in head.children:
                    if child.dep_ == "dobj":
                        return child, False
            return self.grammatical_subject(head, depth + 1)
        if verb.dep_ in ("advcl",) and verb.tag_ in ("VBG", "VBN"):
            return self.grammatical_subject(head, depth + 1)
        if verb.dep_ in ("pcomp", "pobj") and head.dep_ == "prep" and head.lower_ in self.charge_gerund_preps:
            # "blamed Iran for orchestrating ...", "accused X of supporting ...": the object is the doer
            for child in head.head.children:
                if child.dep_ == "dobj":
                    return child, False
        if verb.dep_ in ("acomp", "pcomp") or (verb.dep_ == "pobj" and verb.tag_ == "VBG"):
            # "he is prepared to ...", "is committed to opening ...": the subject of the copula or preposition's verb
            return self.grammatical_subject(head if verb.dep_ != "pobj" else head.head, depth + 1)
        if verb.dep_ == "prep":
            return self.grammatical_subject(head, depth + 1)
        if verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return head, verb.tag_ == "VBN"
        return None, False


def conjuncts_down(token: Token) -> list[Token]:
    """The token and the conjuncts that depend on it ("rockets, drones and bombs")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out.extend(conjuncts_down(child))
    return out


def first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def agent_of(verb: Token) -> Token | None:
    """The object of the by-phrase of a passive verb, or of the participle it is coordinated with
    ("were detained and tortured by the militia": the militia detained them too)."""
    own = _own_agent(verb)
    if own is not None:
        return own
    partners = [c for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN"]
    if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.tag_ == "VBN":
        partners.append(verb.head)
    for other in partners:
        found = _own_agent(other)
        if found is not None:
            return found
    return None


def _own_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def direct_object(verb: Token) -> Token | None:
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return objects[0] if objects else None


def prep_objects(token: Token, preps: set[str] | str) -> list[Token]:
    """Objects of prepositions (by lemma) attached to the token, with their conjuncts."""
    wanted = {preps} if isinstance(preps, str) else preps
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in wanted:
            for grandchild in child.children:
                if grandchild.dep_ in ("pobj", "pcomp"):
                    out.extend(conjuncts_down(grandchild))
    return out


def particles(token: Token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "agent", "dative")}


def governor(noun: Token, light: frozenset[str] = frozenset()) -> Token | None:
    """The verb that governs a noun: as its object, through one preposition, or through coordination.

    ``light``: nouns that only carry the noun before them ("a mediation effort", "a bombing
    campaign"): the verb governing "effort" governs "mediation".
    """
    token = first_conjunct(noun)
    for _ in range(3):
        head = token.head
        if head.i == token.i:
            return None
        if token.dep_ == "compound" and head.lemma_.lower() in light:
            token = head
            continue
        if token.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
            return head
        if token.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            if head.head.pos_ in ("VERB", "AUX"):
                return head.head
            token = head.head  # "a surge of attacks" -> climb to "surge"
            continue
        if token.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
            return head
        return None
    return None


def collective_heads(noun: Token) -> Iterator[Token]:
    """The noun and the nouns above it through 'of' ("a surge of attacks" -> surge)."""
    token = first_conjunct(noun)
    yield token
    while token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ in ("NOUN", "PROPN"):
        token = token.head.head
        yield token


def _walk(token: Token, skip) -> set[int]:  # noqa: ANN001 - skip(parent, child) -> bool
    """Indices of token's subtree, not descending into children for which skip(parent, child) holds."""
    keep: set[int] = set()
    stack = [token]
    while stack:
        tok = stack.pop()
        keep.add(tok.i)
        stack.extend(child for child in tok.children if not skip(tok, child))
    return keep


def _outside_core(parent: Token, child: Token) -> bool:
    if child.dep_ == "appos" or (child.dep_ == "prep" and child.lower_ == "of" and parent.pos_ in ("NOUN", "PROPN")):
        return False
    return child.dep_ in PRUNE_DEPS and child.dep_ != "cc"


def core_indices(token: Token) -> set[int]:
    """Token indices of the phrase headed by token, without clauses and prepositional phrases
    (the 'of' phrase of a noun is kept: "the governments of Iraq and Syria")."""
    return _walk(token, _outside_core)


def clause_indices(trigger: Token) -> set[int]:
    """The trigger's subtree without embedded clauses (where its own arguments live)."""
    return _walk(trigger, lambda _parent, child: child.dep_ in ("relcl", "ccomp", "parataxis", "advcl", "csubj")
                 or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")))


def head_chain(token: Token) -> list[Token]:
    out = []
    while token.head.i != token.i:
        token = token.head
        out.append(token)
    return out
