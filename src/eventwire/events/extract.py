"""Event rules: find triggers, check constraints, fill argument slots, attach attributes.

The stage reads one parsed article with its mentions and returns its events and an explanation.
Its parts live in modules by concern:

- :mod:`.triggers`  trigger matching and pattern constraints
- :mod:`.slots`     argument slots (source and target actors)
- :mod:`.readings`  the event's reading and the declared type rewrites
- :mod:`.attach`    date, place, attribution, context and sentence-country linking
- :mod:`.explain`   the explanation log
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..model import Actor, AttributionScope, Event, Place, Quantity, SentenceSpan, TextSpan, TimeRef
from ..nlp import sentences
from .attach import AttachMixin, Spans
from .explain import Explanation
from .participants import ParticipantMixin, join_act, role_label, symmetric
from .patterns import Pattern, PatternSet
from .readings import ReadingMixin
from .setting import set_unlocated
from .slots import SlotMixin
from .syntax import agent_of, clause_indices, prep_objects
from .triggers import NAME_ENTITIES, TriggerMatcher, constrained, gerunds_after_to, governor_of
from .triggers import background as why_background


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


class EventExtractor:
    """Code events from a parsed article (see module docstring)."""

    def __init__(self, patterns: PatternSet) -> None:
        self.p = patterns
        self.triggers = TriggerMatcher(patterns)

    # ------------------------------------------------------------------ entry point
    def extract(self, inputs: ArticleInputs) -> tuple[list[Event], Explanation]:
        doc = inputs.doc
        spans = Spans(doc)
        sents = sentences(doc)
        sent_of = {}
        for si, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                sent_of[i] = si
        explanation = Explanation.for_sentences(sents)
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
                explanation.actor(sent_of[rng.start], actor)
        state = _ArticleState(self, inputs, spans, by_token, actor_tokens, sent_of, sents)
        fired_verbs: set[int] = set()
        candidates: list[tuple[Token, Pattern]] = []
        for tok in self.triggers.trigger_tokens(doc):
            if tok.ent_type_ in ("DATE", "TIME") or (tok.pos_ == "PROPN" and tok.ent_type_ in NAME_ENTITIES):
                continue  # "in March 2001", "the Agency for Development and Cooperation"
            passing: list[tuple[tuple[int, int], Pattern]] = []
            for pattern, words in self.triggers.patterns_for(tok):
                ok, reason = self.triggers.constraints(tok, pattern)
                if not ok:
                    explanation.note(sent_of.get(tok.i, 0), trigger=tok.text, rule=pattern.rule, status="dropped", reason=reason)
                    continue
                passing.append(((words, constrained(pattern, tok.lemma_.lower())), pattern))
            if passing:
                best = max(spec for spec, _ in passing)
                for spec, pattern in passing:
                    if spec == best:
                        candidates.append((tok, pattern))
                    else:
                        explanation.note(sent_of.get(tok.i, 0), trigger=tok.text, rule=pattern.rule, status="dropped",
                                         reason="a more specific pattern matched the same trigger")
        # verbs first, so a noun governed by a coded verb is not coded twice; on one word, the preferred type first
        rank = self.p.participants.rank
        candidates.sort(key=lambda c: (c[1].pos == "NOUN" or c[0].pos_ in ("NOUN", "PROPN"), c[0].i, rank(c[1].event_type)))
        events: list[Event] = []
        taken: set[tuple[int, str]] = set()
        consumed: set[int] = set()
        by_trigger: dict[tuple[int, str], Event] = {}
        coded_words: dict[int, Event] = {}
        for tok, pattern in candidates:
            si = sent_of.get(tok.i, 0)
            if tok.i in consumed:
                continue
            if tok.i in by_token and tok.dep_ in ("acl", "amod", "compound"):
                explanation.note(si, trigger=tok.text, rule=pattern.rule, status="dropped",
                                 reason="part of an actor's description, not an event")
                continue
            background = why_background(tok, by_token, self.p.lexicon, self.p.grammar)
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
            other = coded_words.get(tok.i)
            if other is not None:
                # one act, one event: the word is coded already (as another type)
                explanation.note(si, trigger=tok.text, rule=pattern.rule, status="dropped",
                                 reason=f"one act, one event: '{tok.text}' is coded as {other.event_type} already")
                continue
            verb = tok.head if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ in ("NOUN", "PROPN") else None
            told = by_trigger.get((verb.i, event.event_type)) if verb is not None and verb.i in fired_verbs else None
            if told is not None and event.event_type in self.p.type_classes["attacks"]:
                join_act(told, event)  # "airstrikes killed dozens", "the attack displaced 5,000": one act
                taken.add(key)
                explanation.note(si, trigger=tok.text, rule=pattern.rule, status="dropped",
                                 reason=f"the same act as '{told.trigger.text}' (merged)")
                continue
            parent = by_trigger.get((tok.head.i, event.event_type)) if tok.dep_ in ("advcl", "conj") and tok.tag_ == "VBG" else None
            into, continuing = self.p.continues
            if parent is None and tok.tag_ == "VBG" and (
                    (event.event_type, None) in continuing or (event.event_type, event.mode) in continuing):
                # "demonstrated calling for independence", "joined protesters in demanding a vote",
                # "rioted, setting fire to mattresses": what the protest demands or does is part of it
                up = tok.head.head if tok.dep_ == "pcomp" else tok.head
                parent = by_trigger.get((up.i, into))
                if parent is None and up.dep_ in ("advcl", "xcomp", "conj"):
                    parent = by_trigger.get((up.head.i, into))
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
                    gerunds = [g.i for g in gerunds_after_to(tok)]  # "committed to supporting X"
                    consumed.update(gerunds)
                    fired_verbs.update(gerunds)
            events.append(event)
            by_trigger[(tok.i, event.event_type)] = event
            coded_words[tok.i] = event
            explanation.note(
                si, trigger=tok.text, rule=pattern.rule, status="coded", event_type=event.event_type,
                mode=event.mode, modality=event.modality,
                source=[role_label(a) for a in event.source], target=[role_label(a) for a in event.target],
            )
        state.resolve_discourse(events)
        set_unlocated(events, inputs.places, [s.start_char for s in sents], self.p.setting, doc)
        events.sort(key=lambda e: (e.trigger.start, e.event_type))
        return events, explanation


class _ArticleState(SlotMixin, AttachMixin, ReadingMixin, ParticipantMixin):
    """Everything the rules need about one article, with the lookups precomputed."""

    def __init__(self, ex: EventExtractor, inputs: ArticleInputs, spans: Spans, by_token: dict[int, list[Actor]],
                 actor_tokens: list[tuple[Actor, range]], sent_of: dict[int, int], sents: list[Span]) -> None:
        self.ex = ex
        self.p = ex.p
        self.g = ex.p.grammar
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
        self._non_agents = self.p.weapons | self.p.lexicon["non_agents"]

    def _one_body(self, tok: Token, source: list[Actor]) -> bool:
        """True when the subject is one singular collective body ("the cabinet met on Sunday")."""
        subj, _ = self.g.grammatical_subject(tok)
        if subj is None or subj.tag_ not in ("NN", "NNP") or any(c.dep_ == "conj" for c in subj.children):
            return False
        return len(source) == 1 and (source[0].sector is None or source[0].sector in self.p.sectors.classes["collective"])

    def _weapon_subject(self, tok: Token) -> bool:
        """True when a verb's subject is a weapon ("three rockets struck near the embassy")."""
        if tok.pos_ not in ("VERB", "AUX"):
            return False
        subj, passive = self.g.grammatical_subject(tok)
        return subj is not None and not passive and subj.lemma_.lower() in self.p.weapons

    # ---------------------------------------------------------------- event building
    def build(self, tok: Token, p: Pattern, fired_verbs: set[int]) -> tuple[Event | None, str]:
        is_noun = tok.pos_ in ("NOUN", "PROPN")
        gov = governor_of(tok, self.p) if is_noun else None
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
        if not target and "obj" in p.target:
            target = self._unresolved_patient(tok)  # "Colin Smith was arrested", "four pedestrians were killed"
        source_ids = {id(a) for a in source}
        target = [a for a in target if id(a) not in source_ids]
        lemma = tok.lemma_.lower()
        if lemma in p.needs_target and not target:
            return None, "this trigger needs a target"
        types = self.p.type_classes
        if tok.pos_ in ("VERB", "AUX") and p.event_type in types["violence"]:
            subj, _ = self.g.grammatical_subject(tok)
            if subj is not None and not self.g.is_passive(tok) and subj.lemma_.lower() in self.p.lexicon["disasters"]:
                return None, f"'{subj.text}' is a disaster or accident, not an attacker"
            agent = agent_of(tok) if self.g.is_passive(tok) else None
            if agent is not None and agent.lemma_.lower() in self.p.lexicon["disasters"]:
                return None, f"'{agent.text}' is a disaster or accident, not an attacker"
            cause = next((o for o in prep_objects(tok, self.g.disaster_cause_preps) if o.lemma_.lower() in self.p.lexicon["disasters"]), None)
            if cause is not None and self.g.is_passive(tok):
                return None, f"killed or hurt in a {cause.text}, not an attack"
        if p.event_type in types["meetings"] and lemma in self.p.lexicon["meeting_verbs"] and not target and self._one_body(tok, source):
            return None, "a body meeting on its own (a cabinet or council session), not a meeting between actors"
        support = gov is not None and gov.lemma_.lower() in self.p.support_verbs
        if is_noun and p.nominal_needs_args and not (source or target or support):
            return None, "noun trigger without arguments or a support verb (a mention, not an event)"
        weapon_subject = p.event_type in types["attacks"] and self._weapon_subject(tok)
        # "the building was bombed", "dozens were detained": an act with no agent in the text
        agentless = not source and not is_noun and self.g.is_passive(tok) and agent_of(tok) is None
        if not source and not target and not (is_noun and support) and not discourse and not weapon_subject \
                and not agentless:
            return None, "no actor found for source or target"
        si = self.sent_of.get(tok.i, 0)
        sent = self.sents[si]
        scope = clause_indices(tok)
        if gov is not None:
            scope |= {gov.i} | {c.i for c in gov.children if c.dep_ in ("prep", "npadvmod", "advmod")}
            for c in gov.children:
                if c.dep_ in ("prep", "npadvmod"):
                    scope |= {t.i for t in c.subtree}
        reading = self._reading(tok, p, gov, scope, source, target)
        event_type, mode, cameo, modality, rule = (reading.event_type, reading.mode, reading.cameo, reading.modality,
                                                   reading.rule)
        quantities = [q for q, rng in self.quantity_tokens if any(i in scope for i in rng)]
        locations, placed = self._locations(tok, scope, sent, source + target)
        if not source and event_type in types["attacks"]:
            source = self._unresolved_agent(tok)  # "attacks ... by groups aligned with Iran": named, not coded
        unknown = self.p.unidentified
        if not source and event_type in types["attacks"] and locations and mode not in (unknown.get("not_modes") or ()):
            # no perpetrator named ("a car bomb exploded in Beirut"): an unidentified armed group of the
            # country where it happened, as ACLED and PLOVER (UAF) code it
            place = next((pl for pl in locations if pl.country), None)
            if place is not None:
                source = [Actor(text=unknown["text"], name=unknown["name"], country=place.country,
                                sector=unknown["sector"], kind="unidentified", entry="unidentified-perpetrator")]
        if not source and not target and not locations and weapon_subject:
            return None, "no actor and no place for an attack by an unowned weapon"
        if not target and placed:
            # "imposed a curfew in Abidjan", "withdrew from Panama": the place stands for its people
            place = next((pl for pl in placed if pl.country), None)
            if place is not None:
                target = [Actor(text=place.text, name=place.name, country=place.country, kind="place",
                                entry="place", start=place.start, end=place.end)]
        if not source:
            # "three journalists were charged", "a curfew was imposed": an act only a state does
            source = self.implied_source(event_type, mode, self._trigger_lemmas(tok, gov), locations, si)
        if not source and not target and agentless:
            source = self.unknown_source()  # kept, not dropped: someone did it
        countries = self.countries_of_sentence(si)
        source, target = self.localise(source, countries, target, si), self.localise(target, countries, source, si)
        date = self._date(tok, gov, scope, sent)
        attribution = self._attribution(tok)
        eid = hashlib.sha1(f"{self.inputs.article_id}:{tok.idx}:{event_type}:{rule}".encode()).hexdigest()[:16]
        event = Event(
            event_id=eid,
            event_type=event_type,
            mode=mode,
            context=[*reading.context, *(c for c in self._contexts(sent, source + target) if c not in reading.context)],
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
        symmetric(event, self.p.participants)
        if discourse and not event.target:
            self.pending_discourse.append((event, tok))
        return event, ""

    def _trigger_lemmas(self, tok: Token, gov: Token | None) -> set[str]:
        """The trigger's lemma, with its compound or adjective ("martial law"), and its support verb's."""
        lemma = tok.lemma_.lower()
        out = {lemma}
        mods = [c.lemma_.lower() for c in tok.lefts if c.dep_ in ("compound", "amod")]
        if mods:
            out.add(f"{mods[-1]} {lemma}")
        if gov is not None:
            out.add(gov.lemma_.lower())
        return out


def _merge_into(parent: Event, child: Event) -> None:
    """Fold a continuation ("..., killing 12 civilians") into the event it continues."""
    have = {(a.start, a.country, a.sector) for a in parent.target}
    parent.target += [a for a in child.target if (a.start, a.country, a.sector) not in have]
    parent.quantities += [q for q in child.quantities if q not in parent.quantities]
    parent.locations += [pl for pl in child.locations if pl not in parent.locations]
