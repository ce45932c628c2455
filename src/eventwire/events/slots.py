"""Argument slots: the actors a pattern's source and target slots name.

Slots (``subj``, ``obj``, ``of_obj``, ``prep:P``, ``owner``, ``governor_subj``, ``governor_prep:P``,
``dative``, ``ccomp_subj``, ``xcomp_obj``, ``purpose_obj``, ``of_self``, ``discourse``) are
documented in ``data/patterns/events.yaml``. :class:`SlotMixin` is part of the per-article state of
:mod:`eventwire.events.extract` (it reads ``self.p``, ``self.g``, ``self.doc``, ``self.by_token`` ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ..model import Actor, Event
from .syntax import agent_of, collective_heads, conjuncts_down, core_indices, direct_object, prep_objects
from .triggers import ecm_object, governor_of

if TYPE_CHECKING:
    from .patterns import Pattern


class SlotMixin:
    """Fill argument slots from the dependency parse and the article's actor mentions."""

    def actors_in(self, token: Token | None) -> list[Actor]:
        if token is None:
            return []
        if token.lower_ in self.g.relative_pronouns and token.tag_ in ("WDT", "WP", "WP$"):
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
            found = self.actors_in(head) if head.lower_ not in self.g.relative_pronouns else []
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

    def slot(self, name: str, tok: Token, p: Pattern) -> list[Actor]:
        verb = tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ == "acomp")  # "is ready to ..."
        if name == "subj":
            if not verb:
                return []
            if self.g.is_passive(tok):
                return self._agent_actors(agent_of(tok))
            subj, passive_subj = self.g.grammatical_subject(tok)
            if passive_subj:
                return []
            if subj is not None and subj.lemma_.lower() in self.p.weapons:
                return self._agent_actors(subj)  # "Russian missiles struck ...": the weapon's owner
            return self.actors_in(subj) or self._act_doer(subj)
        if name == "obj":
            if verb and self.g.is_passive(tok):
                subj, _ = self.g.grammatical_subject(tok)
                return self.actors_in(subj)
            obj = direct_object(tok) if verb else None
            if obj is None and verb and tok.lemma_.lower() in p.needs_object:
                obj = ecm_object(tok)
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
            return dedupe(out)
        if name.startswith("prep:"):
            out = []
            for obj in prep_objects(tok, name[5:]):
                # "opposed to French mediation": the owner of a non-actor object
                out += self.actors_in(obj) or (self._owner_of(obj, strict=True) if name[5:] in self.g.owner_preps else [])
            if not out and tok.dep_ == "compound" and tok.head.lemma_.lower() in self.p.lexicon["light_nouns"]:
                # "a mediation effort between X and Y": the phrase hangs on the light noun or its verb
                out = [a for o in prep_objects(tok.head, name[5:]) for a in self.actors_in(o)]
                if not out:
                    return self.slot("governor_prep:" + name[5:], tok, p)
            if not out and tok.pos_ in ("NOUN", "PROPN") and name[5:] in self.g.object_phrase_preps:
                # "an accusation of aggression against X": the phrase may hang on the noun's of-object
                out = [a for of in prep_objects(tok, "of") for o in prep_objects(of, name[5:]) for a in self.actors_in(o)]
            if not out and tok.pos_ in ("NOUN", "PROPN") and name[5:] in self.g.owner_preps:
                # "opened investigations against X", "gave a welcome to X": the phrase may hang on the support verb
                return self.slot("governor_prep:" + name[5:], tok, p)
            if not out and verb and name[5:] in self.g.object_phrase_preps:
                # "recalled its ambassador from Niger": the phrase may hang on the object
                obj = direct_object(tok)
                if obj is not None:
                    out = [a for o in prep_objects(obj, name[5:]) for a in self.actors_in(o)]
            return dedupe(out)
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
            return dedupe(out)
        if name == "of_self":
            out = []
            for obj in prep_objects(tok, "of"):
                out += self.actors_in(obj)
            return dedupe(out)
        if name in ("governor_subj",) or name.startswith("governor_prep:"):
            gov = governor_of(tok, self.p)
            if gov is None:
                return []
            if name == "governor_subj":
                return self.slot("subj", gov, p)
            out = []
            for obj in prep_objects(gov, name[len("governor_prep:"):]):
                if obj.i != tok.i:  # "insisted on its demands": the phrase holding the trigger is no recipient
                    out += self.actors_in(obj)
            return dedupe(out)
        if name == "dative":
            out = []
            for child in tok.children:
                if child.dep_ == "dative":
                    out += self.actors_in(child) or [a for o in prep_objects(tok, "to") for a in self.actors_in(o)]
            return dedupe(out)
        if name == "ccomp_subj":
            # "demanded that the United States match ...", "urged Iran to stop ..."
            # a noun ("its demand that Israel ease ...") may have the clause as acl, or its verb may carry it
            heads = [tok]
            if tok.pos_ in ("NOUN", "PROPN"):
                gov = governor_of(tok, self.p)
                heads += [gov] if gov is not None else []
            out = []
            for head in heads:
                for child in head.children:
                    if child.dep_ in ("ccomp", "xcomp", "acl") and child.pos_ in ("VERB", "AUX"):
                        subj = next((c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                        out += self.actors_in(subj)
                if out:
                    break
            return dedupe(out)
        if name in ("xcomp_obj", "purpose_obj"):
            # "vowed to punish X", "refused to meet X"; purpose_obj also reads "... to demand X"
            deps = ("xcomp",) if name == "xcomp_obj" else ("xcomp", "advcl", "acl")
            gov = governor_of(tok, self.p) if name == "purpose_obj" and tok.pos_ in (
                "NOUN", "PROPN") else None
            heads = [tok] + ([gov] if gov is not None else [])
            out = []
            for head in heads:
                for child in head.children:
                    if child.dep_ in deps and child.pos_ in ("VERB", "AUX"):
                        obj = direct_object(child)
                        out += self._object_actors(obj)
                        for pobj in prep_objects(child, self.g.infinitive_target_preps):
                            out += self.actors_in(pobj)
            return dedupe(out)
        return []

    def _act_doer(self, subj: Token | None) -> list[Actor]:
        """The doer named inside an act noun that is a verb's subject: "airstrikes by Russian jets killed 12",
        "a wave of attacks by the rebels destroyed ...", "Israeli strikes hit ..."."""
        if subj is None:
            return []
        heads = [subj] + [o for o in prep_objects(subj, "of")]
        if not any(h.lemma_.lower() in self.p.index for h in heads):
            return []
        out: list[Actor] = []
        for head in heads:
            for obj in prep_objects(head, "by"):
                out += self._agent_actors(obj)
            if not out and head.lemma_.lower() in self.p.index:
                # "Israeli strikes", "Russia's bombing": the act noun's own modifier, not a phrase's owner
                out += [a for c in head.children if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < head.i
                        for i in range(c.left_edge.i, c.i + 1)
                        for a in self.by_token.get(i, ()) or self.modifier_by_token.get(i, ()) if a.country]
            if out:
                break
        return dedupe(out)

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
            for pobj in prep_objects(obj, self.g.owner_phrase_preps):
                # "restrictions against German goods": the owner of the object of the phrase
                out += self.actors_in(pobj) or (self._owner_of(pobj, strict=True, depth=depth + 1) if depth < 1 else [])
        return dedupe(out)

    def _agent_actors(self, agent: Token | None) -> list[Actor]:
        """Actors of a by-phrase; for weapons ("by Turkish drones") only their owner, never the weapon."""
        if agent is None:
            return []
        if agent.lemma_.lower() not in self.p.weapons:
            return self.actors_in(agent)
        out: list[Actor] = []
        for child in agent.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                out += [a for i in range(child.left_edge.i, child.i + 1)
                        for a in self.by_token.get(i, ()) or self.modifier_by_token.get(i, ())]
        return dedupe(out)

    def _unresolved_subject(self, tok: Token) -> list[Actor]:
        """A named or plural subject the dictionaries cannot code ("the APEC forum", "Thousands of Kurds"):
        kept as an uncoded actor so the act is still reported."""
        if tok.pos_ not in ("VERB", "AUX") and tok.dep_ != "acomp":
            return []
        subj, passive = self.g.grammatical_subject(tok)
        if subj is None or passive or self.g.is_passive(tok) or subj.pos_ not in ("PROPN", "NOUN", "NUM"):
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

    def _unresolved_patient(self, tok: Token) -> list[Actor]:
        """A named or counted recipient the dictionaries cannot code, kept as an uncoded actor: the subject of
        a passive or the object of a verb ("Colin Smith was arrested", "four pedestrians were killed",
        "freed all three")."""
        if tok.pos_ not in ("VERB", "AUX"):
            return []
        if self.g.is_passive(tok):
            patient, _ = self.g.grammatical_subject(tok)
        else:
            patient = direct_object(tok)
        if patient is None or patient.i in self.by_token or patient.pos_ not in ("PROPN", "NOUN", "NUM", "PRON"):
            return []
        lemma = patient.lemma_.lower()
        if (patient.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "GPE", "LOC", "FAC")
                or lemma in self._non_agents or lemma in self.p.index):
            return []
        counted = patient.tag_ == "CD" or any(c.dep_ == "nummod" for c in patient.children)
        named = patient.pos_ == "PROPN" and patient.ent_type_ in ("PERSON", "ORG")  # not an all-caps "HIM"
        if not (counted or named) or patient.pos_ == "PRON":
            return []
        end = patient.i + 1
        for child in patient.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i > patient.i:
                end = child.right_edge.i + 1  # "three of the suspects"
        span = self.doc[patient.left_edge.i:end]
        if any(i in self.by_token for i in range(span.start, span.end)):
            return []  # part of a coded actor's phrase
        return [Actor(text=span.text, kind="unresolved", entry="unresolved-patient",
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


def dedupe(actors: list[Actor]) -> list[Actor]:
    seen: set[int] = set()
    out = []
    for actor in actors:
        if id(actor) not in seen:
            seen.add(id(actor))
            out.append(actor)
    return out
