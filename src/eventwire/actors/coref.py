"""Within-article coreference for actors: pronouns and definite descriptions.

Kept deliberately simple: a pronoun (he/she/it/they and their object/possessive forms) or a
definite description ("the soldiers", "the group", "the country") refers to the nearest preceding
compatible actor within a few sentences (for a subject, the nearest compatible subject first: the
topic of the text, not a nearer object). Compatibility is number (singular/plural), person vs
organisation, and for descriptions the sector ("the troops" -> last MIL actor). An object pronoun
never refers to the subject of its own clause ("X accused Y and attacked it": it = Y). A possessive
pronoun before an agent noun ("its forces") gives that noun the antecedent's country.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..model import Actor
from ..nlp import sentences
from ..resources import Resources
from .chains import Chain

WORDS_FILE = "actors/coder.yaml"  # pronouns, kinds of things (shared with the coder)
SECTORS_FILE = "ontology/sectors.yaml"
OBJECT_DEPS = frozenset({"dobj", "iobj", "dative", "pobj", "obj"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
MAX_SENTENCES_BACK = 3


@dataclass
class _Mention:
    actors: list[Actor]
    start_tok: int
    end_tok: int
    plural: bool
    entity: str  # person / group / institution / thing
    sent: int
    indefinite: bool = False
    subject: bool = False  # the mention is the subject of its clause


@dataclass(frozen=True)
class _Words:
    person_pron: frozenset[str]
    thing_pron: frozenset[str]
    plural_pron: frozenset[str]
    thing_kinds: frozenset[str]
    state_kinds: frozenset[str]
    institutions: frozenset[str]
    it_entities: frozenset[str]
    armed_groups: frozenset[str]


def _chain_meta(doc: Doc, ch: Chain, actors: list[Actor], w: _Words) -> tuple[bool, str]:
    head = doc[ch.end - 1]
    plural = head.tag_ in ("NNS", "NNPS") or len(actors) > 1
    kind = actors[0].kind if actors else None
    if kind == "person":
        return False, "person"
    if kind in w.thing_kinds:
        return (kind == "group" and head.tag_ == "NNPS"), ("group" if kind == "group" else "thing")
    agent = next((p.entry for p in reversed(ch.pieces) if p.entry is not None and p.entry.kind == "agent"), None)
    entity = agent.entity if agent is not None else "group"
    return plural, entity


def _sent_index(doc: Doc) -> list[int]:
    idx = [0] * len(doc)
    if not doc.has_annotation("SENT_START"):
        return idx
    for n, sent in enumerate(sentences(doc)):
        for i in range(sent.start, sent.end):
            idx[i] = n
    return idx


def _clause_subjects(tok: Token) -> set[int]:
    """Token indices of the subjects of the verb governing ``tok`` (following conj links up)."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subs: set[int] = set()
    seen = 0
    while seen < 4:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                subs.update(t.i for t in child.subtree)
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        break
    return subs


def _is_subject(doc: Doc, start: int, end: int) -> bool:
    """True when the mention over tokens [start, end) is (part of) the subject of its clause."""
    for i in range(start, end):
        tok = doc[i]
        if tok.head.i < start or tok.head.i >= end or tok.head.i == tok.i:
            while tok.dep_ in ("appos", "conj", "compound") and tok.head.i != tok.i:
                tok = tok.head  # "Recep Tayyip Erdoğan, Turkey's president, said"
            return _finite_subject(tok)
    return False


def _finite_subject(tok: Token) -> bool:
    """A subject of a finite clause: "urging him to halt" parses him as the infinitive's subject; he is
    the object of the main verb, not a topic."""
    return tok.dep_ in SUBJECT_DEPS and not any(c.tag_ == "TO" for c in tok.head.children)


def _compatible_pronoun(word: str, m: _Mention, w: _Words) -> bool:
    if word in w.person_pron:
        return m.entity == "person" and not m.plural
    if word in w.thing_pron:
        return not m.plural and m.entity in w.it_entities and m.actors[0].kind != "person"
    return m.plural and m.entity != "thing" or (m.entity == "group" and m.actors[0].kind == "group")


def _ref(actor: Actor, text: str, start: int, end: int) -> Actor:
    return Actor(text=text, name=actor.name or actor.text, country=actor.country, sector=actor.sector,
                 kind="reference", patron=actor.patron, entry=actor.entry, start=start, end=end)


class Coreference:
    """Resolves pronouns and definite descriptions; word classes from ``actors/coder.yaml``."""

    def __init__(self, resources: Resources) -> None:
        words = resources.yaml(WORDS_FILE)
        pron: dict[str, frozenset[str]] = {}
        for word, (entity, _number) in words["pronouns"].items():
            pron[entity] = pron.get(entity, frozenset()) | {word}
        kinds = words["kinds"]
        self.words = _Words(
            person_pron=pron.get("person", frozenset()), thing_pron=pron.get("thing", frozenset()),
            plural_pron=pron.get("any", frozenset()), thing_kinds=frozenset(kinds["thing"]),
            state_kinds=frozenset(kinds["state"]), institutions=frozenset(kinds["institutions"]),
            it_entities=frozenset(words["it_entities"]),
            armed_groups=frozenset(resources.yaml(SECTORS_FILE)["classes"]["armed_groups"]))
        self.all_pron = self.words.person_pron | self.words.thing_pron | self.words.plural_pron

    def resolve(self, doc: Doc, chain_of: list[tuple[Chain, list[Actor]]]) -> list[Actor]:
        """The coded actors plus resolved references, filling possessive-pronoun countries."""
        return resolve(doc, chain_of, self.words, self.all_pron)


def resolve(doc: Doc, chain_of: list[tuple[Chain, list[Actor]]], w: _Words, all_pron: frozenset[str]) -> list[Actor]:
    """Return the coded actors plus resolved references, filling possessive-pronoun countries."""
    sent = _sent_index(doc)
    covered = [False] * len(doc)
    for ch, _ in chain_of:
        for i in range(ch.start, ch.end):
            covered[i] = True
    # events in text order: chains and free pronouns
    items: list[tuple[int, str, object]] = [(ch.start, "chain", (ch, acts)) for ch, acts in chain_of]
    for tok in doc:
        if tok.pos_ == "PRON" and tok.lower_ in all_pron and not covered[tok.i]:
            items.append((tok.i, "pron", tok))
    items.sort(key=lambda x: x[0])
    history: list[_Mention] = []
    out: list[Actor] = []

    def find(pred, before: int, exclude: set[int] | None = None, pronoun: bool = False,
             subject: bool = False) -> _Mention | None:
        """The nearest compatible mention before ``before``; for a subject, the nearest compatible subject
        first ("Obama called Putin. He said ...": he = Obama, the topic, not the nearer object)."""
        nearest = None
        for m in reversed(history):
            if m.end_tok > before:
                continue
            if pronoun and m.indefinite:
                continue  # "considers X a terrorist group": the predicate is not a referent
            if sent[before] - m.sent > MAX_SENTENCES_BACK:
                break
            if exclude and any(i in exclude for i in range(m.start_tok, m.end_tok)):
                continue
            if pred(m):
                if not subject or m.subject:
                    return m
                if nearest is None:
                    nearest = m
        return nearest

    for pos, what, obj in items:
        if what == "pron":
            tok: Token = obj  # type: ignore[assignment]
            word = tok.lower_
            exclude = _clause_subjects(tok) if tok.dep_ in OBJECT_DEPS else None
            is_subject = _finite_subject(tok)
            m = find(lambda m, word=word: _compatible_pronoun(word, m, w), pos, exclude, pronoun=True,
                     subject=is_subject)
            if m is None:
                continue
            refs = [_ref(a, tok.text, tok.idx, tok.idx + len(tok.text)) for a in m.actors]
            out.extend(refs)
            history.append(_Mention(refs, tok.i, tok.i + 1, m.plural, m.entity, sent[tok.i], subject=is_subject))
            continue
        ch, acts = obj  # type: ignore[misc]
        if not acts:
            continue
        plural, entity = _chain_meta(doc, ch, acts, w)
        # possessive pronoun before an agent noun: "its troops", "their leaders"
        if ch.poss_pronoun is not None and acts[0].country is None:
            ptok = doc[ch.poss_pronoun]
            m = find(lambda m, word=ptok.lower_: _compatible_pronoun(word, m, w), ch.poss_pronoun)
            if m is not None:
                src = m.actors[0]
                for a in acts:
                    a.country = src.country
                    if a.kind == "description":
                        a.kind = "agent"
                    if a.sector is None:
                        a.sector = src.sector
                    a.name = a.name or src.name
        # definite description without its own country or name: "the soldiers", "the group"
        if acts[0].kind == "description" and doc[ch.start].lower_ == "the" and len(acts) == 1:
            agent = next((p.entry for p in reversed(ch.pieces) if p.entry is not None), None)
            refers = agent.refers if agent is not None else None
            sector = acts[0].sector

            def ok(m: _Mention, refers=refers, sector=sector) -> bool:
                a = m.actors[0]
                if refers == "country":
                    return a.kind in w.state_kinds or (
                        a.kind == "reference" and m.entity == "thing" and a.sector is None)
                if refers == "group":
                    return a.kind == "group" or a.sector in w.armed_groups
                if refers == "organisation":
                    return a.kind in w.institutions
                if refers == "person":
                    return m.entity == "person"
                return sector is not None and a.sector == sector and (a.country or a.name or a.patron) is not None

            as_subject = _is_subject(doc, ch.start, ch.end)
            m = find(ok, ch.start, subject=as_subject)
            if m is not None:
                text = acts[0].text
                refs = [_ref(a, text, acts[0].start or 0, acts[0].end or 0) for a in m.actors]
                out.extend(refs)
                history.append(_Mention(refs, ch.start, ch.end, plural, entity, sent[ch.start], subject=as_subject))
                continue
            if refers is not None:
                continue  # "the country" with nothing to refer to codes nothing
        out.extend(acts)
        indef = doc[ch.start].lower_ in ("a", "an") and acts[0].kind == "description"
        history.append(_Mention(acts, ch.start, ch.end, plural, entity, sent[ch.start], indef,
                                _is_subject(doc, ch.start, ch.end)))
    return out
