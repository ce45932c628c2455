"""Dictionary-based actor coding over a parsed spaCy Doc.

Pipeline (all matchers are built once in :class:`ActorCoder.__init__`):

1. dictionary look-up: a PhraseMatcher on lower-cased tokens (plus an exact-case matcher for
   acronyms such as "US", "IS", "PAN") finds countries, demonyms, capitals, metonyms, people,
   groups, organisations, outlets and agent nouns; the longest match wins;
2. chaining: adjacent pieces that form one noun phrase are joined ("Iraqi Prime Minister,
   Mohammed Shia al-Sudani", "France's foreign minister", "the governments of Iraq and Syria",
   "Iran-backed militias", "militias loyal to Iran");
3. coding: country from the explicit country word, else the person's role at ``date``, else the
   group/organisation; sector from the head agent noun, else the person's role, else the named
   entry; "former X" codes ELI; "X-backed" / "backed by X" codes the patron;
4. coreference: pronouns and definite descriptions ("the soldiers", "the group") are resolved to
   the nearest preceding compatible actor (see :mod:`eventwire.actors.coref`).

Dictionaries come in families (``people*.yaml``, ``groups*.yaml``, ``organisations*.yaml``,
``companies*.yaml``, ``ethnic*.yaml`` ...); the same person in two files is one entry with all roles.
A title before a known surname names that person when one person fits ("Deputy Secretary Hicks");
an agent noun "in (the) Country" takes that country for local sectors ("rebels in the Ivory Coast");
ethnic and religious communities code CVL with a country only where unambiguous ("Iraqi Kurds").

Conventions: a bare country name codes sector null; capitals and seats of government code GOV;
media outlets code JRN and health bodies MED (PLOVER sector codes); protesters/activists code CVL
(OPP when the text says "opposition" or "anti-government"); gunmen code UAF. When ``date`` is
None a person gets their most recent role (or, after a title, the role the title names); with a
date after all roles ended they code ELI. In :meth:`ActorCoder.code_phrase` a country named only as
the owner or place of a non-actor noun ("the Syrian island") codes sector UNK.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..errors import InputError
from ..model import Actor
from ..names import TypoIndex, english_words, fold, load_spelling
from ..nlp import load_model
from ..resources import Resources, default_resources
from .chains import Chain, Piece
from .coref import Coreference
from .dictionary import Dictionary, Entry, Role, load_dictionary, parse_date

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})
NAME_LABELS = frozenset({"ORG", "PERSON", "NORP", "GPE", "FAC", "LOC"})
WORDS_FILE = "actors/coder.yaml"  # word classes of the coder and its coreference
SECTORS_FILE = "ontology/sectors.yaml"
SCORING_FILE = "gazetteer/scoring.yaml"  # thresholds of the place table


def _capital_runs(doc: Doc, name_links: frozenset[str]) -> list[tuple[int, int]]:
    """Runs of capitalised words joined by name links ("Jamaat Nusrat al Islam wal Muslimeen"), which
    the tagger often splits into smaller entities."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        if not doc[i].is_title or i == 0 and doc[i].is_sent_start and doc[i].pos_ != "PROPN":
            i += 1
            continue
        j, last = i + 1, i
        while j < n and (doc[j].is_title or doc[j].lower_ in name_links):
            if doc[j].is_title:
                last = j
            j += 1
        if last > i:
            runs.append((i, last + 1))
        i = last + 1
    return runs


def loose_key(text: str) -> str:
    """A spelling-tolerant key for a multi-word name: lower case, apostrophes and spaces dropped, a
    final 'h' after a vowel dropped, 'ee'/'oo' read as 'i'/'u' and doubled letters single ("Ahlu Sunnah
    Waljama" and "Ahlu Sunna Wal Jama'a" share one key). Empty for short names, where it would over-match."""
    words = re.findall(r"[a-z]+", text.lower().replace("'", "").replace("\u2019", ""))
    if len(words) < 2:
        return ""
    words = [w[:-1] if len(w) > 3 and w.endswith("h") and w[-2] in "aeiou" else w for w in words]
    joined = "".join(words).replace("ee", "i").replace("oo", "u")  # "Muslimeen"/"Muslimin", "Shoora"/"Shura"
    key = re.sub(r"(.)\1+", r"\1", joined)
    return key if len(key) >= 10 else ""


def _lone_name_after_preposition(tok: Token) -> bool:
    """A one-word PERSON entity right after a preposition ("residents of Goma"): often a mis-tagged town."""
    doc = tok.doc
    alone = tok.ent_iob_ == "B" and (tok.i + 1 == len(doc) or doc[tok.i + 1].ent_iob_ != "I")
    return alone and tok.i > 0 and doc[tok.i - 1].pos_ == "ADP"


POSS = frozenset({"'s", "’s", "'", "’"})
HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _capitalised(tok: Token) -> bool:
    """A word written with a capital first letter ("Toqaev", "McDonald", "TAJIKSTAN")."""
    return tok.is_alpha and tok.text[:1].isupper()

COORD = frozenset({"and", "&", ","})


def _is_acronym(form: str) -> bool:
    letters = form.replace(".", "").replace("&", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 6 and " " not in form


def _role_at(roles: list[Role], date: _dt.date | None) -> tuple[Role | None, bool]:
    """The role held at ``date`` (most recent start) and whether the person is 'former' then."""
    if not roles:
        return None, False
    if date is None:
        open_roles = [r for r in roles if r.end is None]
        return (open_roles[-1] if open_roles else roles[-1]), False
    active = [r for r in roles if (r.start is None or r.start <= date) and (r.end is None or date <= r.end)]
    if active:
        return active[-1], False
    past = [r for r in roles if r.end is not None and r.end < date]
    if past:
        return max(past, key=lambda r: r.end or _dt.date.min), True
    return roles[0], False


class ActorCoder:
    """Codes actor mentions with country, sector, kind and patron from the YAML dictionaries."""

    def __init__(self, data_dir: Path | None = None, resources: Resources | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        """Load the dictionaries and word classes of ``resources`` (default: the bundled data) and build
        the matchers. ``data_dir`` reads the dictionaries of one plain folder instead; ``gazetteer``
        places towns named as actors (opened on first use when not given)."""
        self.resources = resources = resources or default_resources()
        self.dictionary: Dictionary = load_dictionary(data_dir, resources)
        self._gazetteer = gazetteer
        self._cities: dict[str, str] | None = None
        words = resources.yaml(WORDS_FILE)
        kinds = {k: frozenset(v) for k, v in words["kinds"].items()}
        self._countryish = kinds["countryish"]
        self._state_kinds = kinds["state"]
        self._nation_kinds = kinds["nation"]
        self._organised = kinds["organised"]
        self._named = kinds["named"]
        self._actor_kind: dict[str, str] = dict(words["actor_kind"])
        self._locative = frozenset(words["locative"])
        self._name_links = frozenset(words["name_links"])
        self._patron_words = frozenset(words["patron_words"])
        self._post_patron = {k: frozenset(v) for k, v in words["post_patron"].items()}
        self._dets = frozenset(words["determiners"])
        self._former = frozenset(words["former"])
        self._pronouns = frozenset(words["pronouns"])
        self._poss_pronouns = frozenset(words["possessive_pronouns"])
        self._ship_prefixes = frozenset(words["ship_prefixes"])
        self._place_suffixes = tuple(" " + w for w in words["place_suffixes"])
        self._place_followers = frozenset(words["place_followers"])
        classes = resources.yaml(SECTORS_FILE)["classes"]
        self._local_sectors = frozenset(classes["local"])
        self._armed_sectors = frozenset(classes["armed"])
        self._coref = Coreference(resources)
        name_suffixes = frozenset(words["name_suffixes"])
        surname_first = frozenset(words["surname_first"])
        loose_kinds = kinds["loose"]
        self.nlp = load_model()
        vocab = self.nlp.vocab
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._exact = PhraseMatcher(vocab, attr="ORTH")
        self._forms: dict[str, list[Entry]] = {}
        self._proper: dict[str, bool] = {}
        lower_pats: dict[str, list[Doc]] = {}
        exact_pats: dict[str, list[Doc]] = {}
        forms = [f for f, _ in self.dictionary.surfaces]
        docs = list(self.nlp.tokenizer.pipe(forms))
        for (form, entry), pdoc in zip(self.dictionary.surfaces, docs, strict=True):
            if _is_acronym(form) and entry.kind != "agent":
                key = "X:" + form
                exact_pats.setdefault(key, []).append(pdoc)
                variants = [form]
                if "." not in form and len(form) > 1:
                    variants.append(".".join(form) + ".")  # "UN" also as "U.N."
                if form.isalpha() and len(form) >= 4:
                    variants.append(form.title())  # house styles that write acronyms as words: "Nato", "Isis"
                for v in variants[1:]:
                    exact_pats[key].append(self.nlp.make_doc(v))
            else:
                key = "L:" + form.lower()
                lower_pats.setdefault(key, []).append(pdoc)
                if form.endswith(".") and form[:1].islower():  # "sen." tokenises unlike "Sen."
                    lower_pats[key].append(self.nlp.make_doc(form[:1].upper() + form[1:]))
                self._proper[key] = self._proper.get(key, False) or (
                    entry.kind != "agent" and any(c.isupper() for c in form))
            self._forms.setdefault(key, [])
            if entry not in self._forms[key]:
                self._forms[key].append(entry)
        for key, pats in lower_pats.items():
            uniq = {tuple(t.lower_ for t in d): d for d in pats}
            self._lower.add(key, list(uniq.values()))
        for key, pats in exact_pats.items():
            self._exact.add(key, pats)
        # spelling-tolerant keys of multi-word names (transliteration variants of groups and people)
        self._loose: dict[str, list[Entry]] = {}
        for form, entry in self.dictionary.surfaces:
            key = loose_key(form) if entry.kind in loose_kinds else ""
            if key and entry not in self._loose.setdefault(key, []):
                self._loose[key].append(entry)
        self._index_spellings(resources)
        self._country_names = {e.country: e.name for e in self.dictionary.countries.values()}
        # surname -> people, for a title before a bare surname ("Deputy Secretary Hicks")
        self._surnames: dict[str, list[Entry]] = {}
        for person in self.dictionary.people.values():
            words = [w for w in person.name.replace(",", " ").split() if w.lower().strip(".") not in name_suffixes]
            if len(words) >= 2:
                self._surnames.setdefault(words[-1].lower(), []).append(person)
                if any(r.country in surname_first for r in person.roles):
                    self._surnames.setdefault(words[0].lower(), []).append(person)  # "President Moon"

    def _index_spellings(self, resources: Resources) -> None:
        """Keys of every proper name of the dictionary (names, aliases, demonyms, capitals; not
        acronyms or agent nouns), computed once: folded -> entries, spelling key -> entries, and the
        one-typo index of the spelling keys (see :mod:`eventwire.names`)."""
        self._spelling = load_spelling(resources)
        self._english = english_words(self.nlp)
        self._folded: dict[str, list[Entry]] = {}
        self._spelled: dict[str, list[Entry]] = {}
        spelled_forms: dict[str, set[str]] = {}
        for form, entry in self.dictionary.surfaces:
            if entry.kind == "agent" or _is_acronym(form) or not any(c.isupper() for c in form):
                continue
            folded = fold(form)
            if len(folded.replace(" ", "")) < 4:
                continue
            key = self._spelling.key(form)
            for table, k in ((self._folded, folded), (self._spelled, key)):
                if entry not in table.setdefault(k, []):
                    table[k].append(entry)
            spelled_forms.setdefault(key, set()).add(folded)
        # a spelling key that two different names share (two people "Ahmad X" and "Ahmed X") is ambiguous
        self._ambiguous = frozenset(k for k, v in self._spelled.items() if len(v) > 1 and len(spelled_forms[k]) > 1)
        self._typos = TypoIndex(self._spelling.typo_min_letters)
        for key in self._spelled:
            if key not in self._ambiguous:
                self._typos.add(key)

    # ------------------------------------------------------------------ public API

    def code_phrase(self, text: str, date: str | None = None, context: str | None = None) -> Actor | None:
        """Code one short actor phrase ("Iraqi Prime Minister", "Hezbollah"); None if nothing is known.

        ``date`` (ISO) selects a person's role; ``context`` (free text) supplies a country when the
        phrase itself names none ("the defence minister" + context "Colombian defence").
        """
        if not isinstance(text, str):
            raise InputError(f"actor phrase must be a string, got {type(text).__name__}")
        text = text.strip()
        if not text:
            return None
        doc = self.nlp(text)
        actors = [a for a in self._find(doc, date, keep_modifiers=False)[0] if a.kind != "reference"]
        if not actors:
            # "the Syrian island": a nationality word alone still tells the country
            actors = [a for a in self._find(doc, date, keep_modifiers=True)[0] if a.kind != "reference"]
        if not actors:
            if len(doc) == 1 and doc[0].pos_ == "PRON" and doc[0].lower_ in self._pronouns:
                return Actor(text=text, sector="UNK", kind="reference", start=0, end=len(text))
            place = self._place_country(doc)
            if place is not None and all(t.pos_ in ("PROPN", "PUNCT", "DET") or t.is_title for t in doc):
                # a town named alone stands for its inhabitants ("Mariupol")
                return Actor(text=text, name=text, country=place, sector="CVL", kind="place", start=0, end=len(text))
            return None
        best = max(actors, key=lambda a: ((a.end or 0) - (a.start or 0), -(a.start or 0)))
        if best.country is None:
            # "Madras High Court", "a professor at the University of St Andrews in Scotland"
            best.country = self._place_country(doc)
        if best.country is None and context:
            ctx = self._context_country(context)
            if ctx:
                best.country = ctx
        if best.kind == "country" and best.sector is None and self._other_head(doc, best):
            # "the Syrian island", "regions across Indonesia": something of the country, not the
            # country itself -> a generic unidentified actor (PLOVER UNK)
            best.sector = "UNK"
        return best

    @staticmethod
    def _other_head(doc: Doc, actor: Actor) -> bool:
        """Whether a common noun outside the actor's span heads or is the phrase."""
        start, end = actor.start or 0, actor.end or 0
        return any(t.pos_ == "NOUN" and not (start <= t.idx < end) for t in doc)

    def _place_table(self) -> dict[str, str]:
        """Lower-cased place name -> country, from the Gazetteer (read once, on first use)."""
        if self._cities is None:
            if self._gazetteer is None:
                from ..gazetteer import Gazetteer

                self._gazetteer = Gazetteer.load()
            t = self.resources.yaml(SCORING_FILE)["actor_places"]
            self._cities = self._gazetteer.place_countries(
                t["alias_min_population"], t["alias_overshadow"], t["alias_min_length"])
        return self._cities

    def _place_country(self, doc: Doc) -> str | None:
        """The country of the last known place named by a run of proper nouns in a short phrase."""
        runs: list[list[Token]] = []
        for tok in doc:
            if tok.ent_type_ == "PERSON" and not _lone_name_after_preposition(tok):
                continue  # "Sen. Feliciano Valencia": a name is no place (but "residents of Goma" may be)
            if tok.pos_ == "PROPN" or (tok.is_title and tok.pos_ in ("NOUN", "ADJ")):
                if runs and runs[-1][-1].i == tok.i - 1:
                    runs[-1].append(tok)
                else:
                    runs.append([tok])
        cities = self._place_table()
        for run in reversed(runs):  # the last place is the container: "St Andrews in Scotland"
            for size in range(len(run), 0, -1):  # longest sub-run first
                for start in range(0, len(run) - size + 1):
                    name = " ".join(t.text for t in run[start:start + size]).lower()
                    if name in cities:
                        return cities[name]
        return None

    def find_actors(self, doc: Doc, date: str | None = None) -> list[Actor]:
        """All actor mentions in ``doc``, sorted by start and non-overlapping (coordinations share a span)."""
        return self._find(doc, date, keep_modifiers=False)[0]

    def find_mentions(self, doc: Doc, date: str | None = None) -> tuple[list[Actor], list[Actor]]:
        """(actors, modifiers): the actor mentions of ``find_actors`` plus, separately, nationality
        words and places that modify a non-actor noun ("a Nigerian proposal", "the Syrian border"),
        coded with kind="modifier". Event rules use modifiers to find the owner of an object."""
        return self._find(doc, date, keep_modifiers=False)

    def _find(self, doc: Doc, date: str | None, keep_modifiers: bool) -> tuple[list[Actor], list[Actor]]:
        if not isinstance(doc, Doc):
            raise InputError(f"find_actors needs a spaCy Doc, got {type(doc).__name__}")
        day = self._date(date)
        pieces = self._pieces(doc, day)
        chains = self._chains(doc, pieces)
        actors: list[Actor] = []
        chain_of: list[tuple[Chain, list[Actor]]] = []
        modifiers: list[Actor] = []
        for chain in chains:
            if not keep_modifiers and self._bare_modifier(doc, chain):
                modifiers.extend(a.model_copy(update={"kind": "modifier"}) for a in self._code_chain(doc, chain, day) if a.country)
                continue
            coded = self._code_chain(doc, chain, day)
            chain_of.append((chain, coded))
            actors.extend(coded)
        actors = self._coref.resolve(doc, chain_of)
        actors.sort(key=lambda a: (a.start or 0, a.end or 0))
        return actors, modifiers

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _date(date: str | None) -> _dt.date | None:
        if date is None or date == "":
            return None
        try:
            return parse_date(date)
        except (ValueError, TypeError) as exc:
            raise InputError(f"date must be ISO (YYYY-MM-DD) or a year, got {date!r}") from exc

    def _bare_modifier(self, doc: Doc, ch: Chain) -> bool:
        """A lone nationality adjective modifying a non-actor noun ("the Syrian border")."""
        entries = [p.entry for p in ch.pieces]
        if all(e is not None and (e.modifier or e.kind == "place") for e in entries):
            return True  # "medical supplies", "Mariupol": no actor noun
        if len(ch.pieces) == 1 and ch.pieces[0].kind in self._state_kinds and ch.start > 0:
            prev = doc[ch.start - 1]
            if prev.lower_ in self._locative and prev.pos_ == "ADP":
                return True  # "met in Amman", "fighting in Syria": a place, not an actor
        if len(ch.pieces) != 1 or ch.pieces[0].kind != "demonym":
            return False
        p = ch.pieces[0]
        last = doc[p.end - 1]
        if last.tag_ in ("NNS", "NNPS") or last.lower_.endswith("s") and last.pos_ in ("NOUN", "PROPN"):
            return False  # "Iraqis", "Saudis"
        return last.dep_ in ("amod", "compound", "nmod") and last.head.i >= p.end

    def _context_country(self, context: str) -> str | None:
        cdoc = self.nlp.make_doc(context)
        for _mid, s, e in sorted(self._matches(cdoc), key=lambda m: m[1]):
            for ent in self._forms[self.nlp.vocab.strings[_mid]]:
                if ent.kind in self._countryish and ent.country:
                    return ent.country
                if ent.kind in self._named and ent.country:
                    return ent.country
            del s, e
        return None

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        all_lower = not any(c.isupper() for c in doc.text)
        out = []
        for mid, s, e in self._lower(doc):
            key = self.nlp.vocab.strings[mid]
            if self._proper.get(key) and not all_lower:
                span_text = doc[s:e].text
                if not any(c.isupper() for c in span_text):
                    continue
            out.append((mid, s, e))
        for mid, s, e in self._exact(doc):
            # an all-caps word inside an all-caps headline is not an acronym
            prev_caps = s > 0 and doc[s - 1].is_alpha and doc[s - 1].is_upper and len(doc[s - 1]) > 1
            next_caps = e < len(doc) and doc[e].is_alpha and doc[e].is_upper and len(doc[e]) > 1
            if prev_caps and next_caps:
                continue
            out.append((mid, s, e))
        return out

    def _choose(self, cands: list[Entry], day: _dt.date | None) -> Entry:
        if len(cands) == 1 or day is None:
            return cands[0]
        for c in cands:
            if c.kind == "person":
                role, former = _role_at(c.roles, day)
                if role and not former:
                    return c
        return cands[0]

    def _pieces(self, doc: Doc, day: _dt.date | None) -> list[Piece]:
        raw = self._matches(doc)
        raw.sort(key=lambda m: (-(m[2] - m[1]), m[1]))
        taken = [False] * len(doc)
        pieces: list[Piece] = []
        person_ents = [self._name_before_of(ent) for ent in doc.ents if ent.label_ == "PERSON"]
        for mid, s, e in raw:
            if any(taken[s:e]):
                continue
            cands = self._forms[self.nlp.vocab.strings[mid]]
            entry = self._choose(cands, day)
            # "Jordan" inside "Michael Jordan": a larger PERSON name wins over a place name
            if entry.kind in ("country", "capital") and e - s == 1 and any(
                    ent.start <= s and e <= ent.end and ent.end - ent.start > e - s for ent in person_ents):
                continue
            if (entry.kind == "agent" and entry.title and e - s == 1 and doc[s].pos_ == "ADJ"
                    and doc[s].dep_ == "amod"):
                continue  # "a general strike": an adjective, not the rank
            if entry.kind in self._nation_kinds and s >= 2 and doc[s - 1].text in ("-", "–") \
                    and doc[s - 2].lower_ in ("anti", "non"):
                continue  # "an anti-Syria journalist" opposes Syria, does not belong to it
            if entry.kind in ("country", "demonym") and s >= 1 and doc[s - 1].lower_ == "ethnic" \
                    and doc[s].tag_ in ("NNPS", "NNS"):
                # "ethnic Albanians" in Serbia: a community named after a nation, not that state
                entry = Entry(id=f"ethnic:{entry.id}", kind="ethnic", name=f"ethnic {doc[s:e].text}", sector="CVL",
                              community=True)
                cands = [entry]
            for i in range(s, e):
                taken[i] = True
            pieces.append(Piece(s, e, entry, cands))
        # unknown person names (used only after a title or a nationality)
        for ent in person_ents:
            if not any(taken[ent.start:ent.end]):
                pieces.append(Piece(ent.start, ent.end, None))
            elif ent.start > 0 and taken[ent.start] and not any(taken[ent.start + 1:ent.end]):
                # NER swallowed the title ("President Kassym-Jomart Tokayev" as one PERSON)
                first = next((p for p in pieces if p.start == ent.start and p.end == ent.start + 1), None)
                if first is not None and first.entry is not None and first.entry.title:
                    pieces.append(Piece(ent.start + 1, ent.end, None))
        self._titled_surnames(doc, pieces, day)
        # names the exact forms miss but a spelling-tolerant key finds ("Ahlu Sunnah Waljama")
        spans = [(ent.start, ent.end) for ent in doc.ents if ent.label_ in NAME_LABELS] + _capital_runs(doc, self._name_links)
        whole = 1 < len(doc) <= 8 and doc[0].is_title and not any(p.end - p.start == len(doc) for p in pieces)
        if whole:
            spans.insert(0, (0, len(doc)))  # a bare name given to code_phrase, whatever matched inside it
        for start, end in spans:
            if any(taken[start:end]) and not (whole and (start, end) == (0, len(doc))):
                continue
            cands = self._loose.get(loose_key(doc[start:end].text))
            if cands:
                for i in range(start, end):
                    taken[i] = True
                pieces = [p for p in pieces if p.end <= start or p.start >= end]
                entry = self._choose(cands, day)
                how = "normalised" if entry in self._folded.get(fold(doc[start:end].text), ()) else "transliteration"
                pieces.append(Piece(start, end, entry, cands, how=how))
        pieces = self._variant_names(doc, pieces, taken, day)
        # places the dictionaries do not know ("Kano State", "Mariupol"): GeoNames cities -> country
        spans = [(e.start, e.end, e.label_) for e in doc.ents if e.label_ in PLACE_LABELS]
        if not doc.ents and 0 < len(doc) <= 3 and all(t.pos_ == "PROPN" for t in doc):
            spans.append((0, len(doc), "GPE"))  # a bare place name given to code_phrase
        for start, end, label in spans:
            while end > start and taken[end - 1]:
                end -= 1  # "Kano State government": "State government" is an agent phrase
            if end <= start or any(taken[start:end]):
                continue
            ent = doc[start:end]
            name = ent.text.lower()
            if end < len(doc) and doc[end].lower_ in self._place_followers and taken[end]:
                label = "GPE"
            if label == "ORG" and not name.endswith(self._place_suffixes):
                continue
            for suf in self._place_suffixes:
                if name.endswith(suf):
                    name = name[: -len(suf)]
                    break
            code = self._place_table().get(name)
            if code:
                place = Entry(id=f"geonames:{name}", kind="place", name=ent.text, country=code)
                pieces.append(Piece(ent.start, ent.end, place))
        pieces.sort(key=lambda p: p.start)
        return self._ship_names(doc, pieces)

    def _name_runs(self, doc: Doc, taken: list[bool]) -> list[tuple[int, int]]:
        """Runs of capitalised words not yet matched, joined by name links and hyphens (at most 8 tokens)."""
        runs: list[tuple[int, int]] = []
        i, n = 0, len(doc)
        while i < n:
            if taken[i] or not _capitalised(doc[i]):
                i += 1
                continue
            j, last = i + 1, i
            while j < n and j - i < 8 and not taken[j] and (
                    _capitalised(doc[j]) or doc[j].lower_ in self._name_links or doc[j].text in HYPHENS):
                if _capitalised(doc[j]):
                    last = j
                j += 1
            runs.append((i, last + 1))
            i = last + 1
        return runs

    def _variant_names(self, doc: Doc, pieces: list[Piece], taken: list[bool], day: _dt.date | None) -> list[Piece]:
        """Names the dictionaries hold in another spelling: a run of capitalised words (or a part of
        it) whose folded text or spelling key is a dictionary name's; a whole run (or a part between
        link words) one typo away from exactly one name (see :meth:`_variant` for the guards)."""
        for start, end in self._name_runs(doc, taken):
            # the run, its parts between link words ("Kyrgyztan and Azerbaidjan") and the run without
            # a sentence-initial English word ("The Azerbaidjani army") may hold a misspelt name ...
            wholes = [(start, end)]
            i = start
            while i < end:
                j = i
                while j < end and _capitalised(doc[j]):
                    j += 1
                if j > i and (i, j) not in wholes:
                    wholes.append((i, j))
                i = j + 1
            if end - start > 1 and doc[start].is_sent_start and doc[start].lower_ in self._english:
                wholes.append((start + 1, end))
            # ... any part of it a name in another spelling
            spans = wholes + [(s, s + size) for size in range(end - start, 0, -1)
                              for s in range(start, end - size + 1) if (s, s + size) not in wholes]
            for s, e in spans:
                if any(taken[s:e]) or not (_capitalised(doc[s]) and _capitalised(doc[e - 1])):
                    continue
                text = doc[s:e].text
                if "L:" + text.lower() in self._forms or "X:" + text in self._forms:
                    continue  # as written, the exact matcher has decided on it
                found = self._variant(doc[s:e], (s, e) in wholes)
                if found is None:
                    continue
                how, cands = found
                entry = self._choose(cands, day)
                if entry.kind in ("country", "capital") and e - s == 1 and any(
                        ent.label_ == "PERSON" and ent.start <= s and e <= ent.end and len(ent) > 1 for ent in doc.ents):
                    continue  # a word of a person's name, not a place
                for i in range(s, e):
                    taken[i] = True
                pieces = [p for p in pieces if p.end <= s or p.start >= e]
                pieces.append(Piece(s, e, entry, cands, how=how))
        return pieces

    def _variant(self, span: Span, whole: bool) -> tuple[str, list[Entry]] | None:
        """(how, entries) for a name written otherwise than in the dictionary, or None. A lone word
        that is an English word (or whose lemma is) must be tagged a proper noun ("Irak", not
        "Finish" or "Route"); a typo is tried only on a ``whole`` run, never on an English word,
        and on a lone word only for places, nations, groups and organisations (a lone surname one
        letter from a known one is as likely another person: "Johnston" is not Johnson)."""
        text = span.text
        folded = fold(text)
        if len(folded.replace(" ", "")) < 4:
            return None
        english = self._english
        tok = span[0]
        if len(span) == 1 and tok.pos_ != "PROPN" and (tok.lower_ in english or tok.lemma_.lower() in english):
            return None  # a common word capitalised at a sentence start or in a headline
        cands = self._folded.get(folded)
        if cands:
            return "normalised", cands
        key = self._spelling.key(text)
        if key in self._ambiguous:
            return None
        cands = self._spelled.get(key)
        if cands:
            return "transliteration", cands
        if not whole:
            return None
        near = self._typos.find(key)
        if near is None:
            return None
        lemmas = {fold(t.text): t.lemma_.lower() for t in span}
        words = folded.split()
        if len(words) > 1:
            words = [w for w in words if w not in self._spelling.articles] or words
        if any(self._spelling.word(w) != k and (w in english or lemmas.get(w) in english)
               for w, k in zip(words, near.split(" "), strict=False)):
            return None  # "Salmon" is a fish before it is a misspelt "Salman"
        cands = self._spelled[near]
        if len(words) == 1 and any(e.kind == "person" for e in cands):
            return None
        return "typo", cands

    def _ship_names(self, doc: Doc, pieces: list[Piece]) -> list[Piece]:
        """"USS Carney", "HMS Diamond": the proper nouns after a navy prefix name the ship, not a person."""
        out: list[Piece] = []
        skip_until = -1
        for p in pieces:
            if p.start < skip_until:
                continue
            out.append(p)
            if p.entry is not None and p.entry.kind == "agent" and p.entry.name in self._ship_prefixes:
                end = p.end
                while end < len(doc) and doc[end].pos_ == "PROPN":
                    end += 1
                skip_until = end
                if end > p.end:
                    out[-1] = Piece(p.start, end, p.entry, p.alts)
        return out

    @staticmethod
    def _name_before_of(ent: Span) -> Span:
        """NER sometimes takes "Hakimi of Chad" as one name: the name ends before "of"."""
        for tok in ent[1:-1]:
            if tok.lower_ == "of":
                return ent.doc[ent.start:tok.i]
        return ent

    def _titled_surnames(self, doc: Doc, pieces: list[Piece], day: _dt.date | None = None) -> None:
        """A title before an unknown surname names the known person with that surname and title
        ("Deputy Secretary Hicks" -> Kathleen Hicks): unique among people of that surname whose
        role titles contain the title ("President Lee" names nobody: no role title fits uniquely)."""
        if not self._surnames:
            return
        by_end = {p.end: p for p in pieces if p.entry is not None and p.entry.kind == "agent" and p.entry.title}
        for p in pieces:
            if p.entry is not None or p.start not in by_end:
                continue
            cands = self._surnames.get(doc[p.end - 1].lower_)
            if not cands:
                continue
            title = by_end[p.start].entry.name.lower()  # type: ignore[union-attr]
            fitting = [c for c in cands if any(title in (r.title or "").lower() for r in c.roles)]
            if len(fitting) > 1 and day is not None:  # "Premier Li" in 2015 and in 2024
                fitting = [c for c in fitting if any(
                    title in (r.title or "").lower() and (r.start is None or r.start <= day)
                    and (r.end is None or day <= r.end) for r in c.roles)]
            if len(fitting) == 1:
                p.entry = fitting[0]

    # ------------------------------------------------------------------ chaining

    def _link(self, doc: Doc, a: Piece, b: Piece, chain: Chain) -> str | None:
        """How piece b attaches to piece a (None = it starts a new mention)."""
        gap = doc[a.end:b.start]
        words = [t.lower_ for t in gap]
        ak, bk = a.kind, b.kind
        countryish, organised = self._countryish, self._organised
        if ak in ("newperson",):
            if (words == ["of"] and bk in ("country", "demonym") and len(chain.pieces) >= 2
                    and chain.pieces[0].entry is not None and chain.pieces[0].entry.title):
                return "of"  # "King Hassan of Morocco", "President Ahmed of Somalia"
            return "poss" if words and all(w in POSS for w in words) and bk == "agent" else None
        if ak == "person" and not (words and all(w in POSS for w in words)):
            return None
        b_person = bk in ("person", "newperson")
        if bk == "newperson" and not (ak == "agent" and a.entry and a.entry.title) and ak not in countryish:
            return None
        if not words:
            if bk in countryish and ak in countryish:
                # "Iraqi Kurds", "Rakhine Buddhists": a place or nationality before a community
                return "adj" if b.entry is not None and b.entry.community and not (a.entry and a.entry.community) else None
            if bk == "newperson" and ak in countryish:
                return None
            return "adj"
        if all(w in POSS for w in words):
            return "poss" if not b_person or ak in countryish | organised else None
        if ak in countryish and any(w in self._patron_words for w in words) and all(
                w in self._patron_words or w == "-" for w in words):
            return "patron"
        if words in (["-", "led"], ["-"], ["-", "based"], ["based"]) and ak in countryish | {"place"}:
            return "adj" if bk != "newperson" else None
        if (words in (["-", "led"], ["-", "run"], ["-", "controlled"], ["-", "dominated"]) and bk == "agent"
                and ak in organised):
            return "adj"  # "Hamas-run health ministry", "Houthi-controlled authorities"
        if words == ["-"]:
            return "adj" if bk != "newperson" else None
        if words == [","] and b_person and (ak == "agent" or ak in countryish):
            return "adj"
        if ak in countryish and bk in countryish and all(w in COORD for w in words) and "and" in words:
            return "coord"
        if ak in countryish and bk in countryish and words == [","]:
            # "Iraqi, Syrian and Iranian officials": a list, only if an "and" follows
            return "coord"
        if (ak == "agent" and words in (["of"], ["of", "the"], ["for"], ["in"], ["in", "the"]) and bk not in ("agent",)
                and not b_person):
            if words[0] == "in" and (bk not in countryish or not a.entry or a.entry.sector not in self._local_sectors):
                return None
            return "of"
        if ((ak == "agent" or ak in organised) and bk in countryish and 2 <= len(words) <= 3
                and words[-1] in self._post_patron and words[-2] in self._post_patron[words[-1]]):
            return "postpatron"
        if len(words) <= 2 and bk == "agent" and ak != "agent" and all(
                t.pos_ in ("ADJ", "NUM") or (t.pos_ == "NOUN" and t.dep_ == "compound") for t in gap):
            return "adj"
        if len(words) <= 2 and bk == "agent" and ak == "agent" and all(t.pos_ == "ADJ" for t in gap):
            return "adj"
        return None

    def _chains(self, doc: Doc, pieces: list[Piece]) -> list[Chain]:
        chains: list[Chain] = []
        lone: list[Piece] = []  # unknown names that no title or nationality precedes
        cur: Chain | None = None
        for p in pieces:
            link = self._link(doc, cur.pieces[-1], p, cur) if cur else None
            if cur is not None and link is not None:
                prev = cur.pieces[-1]
                if link == "patron":
                    cur.patron_pieces.add(id(prev))
                elif link == "postpatron":
                    cur.patron_pieces.add(id(p))
                elif link == "coord":
                    cur.coord = True
                elif p.kind in self._countryish and prev.kind in self._countryish and id(prev) in cur.patron_pieces:
                    pass
                cur.pieces.append(p)
                cur.end = p.end
                continue
            if cur is not None and id(cur.pieces[-1]) in cur.patron_pieces and len(cur.pieces) == 1:
                # "Iran-backed" with no following actor noun: the country stays a plain mention
                cur.patron_pieces.clear()
            if cur is not None:
                chains.append(cur)
            if p.kind == "newperson":
                cur = None
                lone.append(p)
                continue
            cur = Chain([p], p.start, p.end)
        if cur is not None:
            chains.append(cur)
        for ch in chains:
            self._extend_left(doc, ch)
        self._appositive_titles(doc, lone, chains)
        # coordination after patron-less lists: "Iraqi and Syrian" with a coord but one real country
        return chains

    @staticmethod
    def _appositive_titles(doc: Doc, lone: list[Piece], chains: list[Chain]) -> None:
        """An unknown name followed by a title in apposition ("Juma Kamau, Kenya's interior minister,",
        "X, the Peruvian energy minister, said") takes the title's country and sector: the name joins the
        title's chain. The name is a PERSON entity, or two to four capitalised proper nouns that NER left
        untagged (or tagged ORG); the title must hold an agent noun for a person and no other person,
        and be followed by a comma, the end of the sentence or a verb (not "X, Kenya and Uganda")."""
        by_end = {p.end: p for p in lone}
        taken = {i for ch in chains for q in ch.pieces for i in range(q.start, q.end)}
        for ch in chains:
            comma = ch.start - 1
            if comma < 1 or doc[comma].text != ",":
                continue
            name = by_end.get(comma)
            if name is None:
                i = comma
                while i > 0 and comma - i < 4 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].is_title \
                        and doc[i - 1].ent_type_ in ("", "PERSON", "ORG") and i - 1 not in taken:
                    i -= 1
                if comma - i < 2 or (i > 0 and doc[i - 1].pos_ in ("PROPN", "ADP")):
                    continue  # "In Nueva Esperanza, the defence minister said": a place
                name = Piece(i, comma, None)
            if ch.coord or len(ch.pieces) > 3:
                continue
            if not any(q.entry is not None and q.entry.kind == "agent" and not q.entry.modifier
                       and (q.entry.entity == "person" or q.entry.title) for q in ch.pieces):
                continue
            if any(q.kind in ("person", "newperson") for q in ch.pieces):
                continue
            after = doc[ch.end] if ch.end < len(doc) else None
            if after is not None and not (after.is_punct or after.pos_ in ("VERB", "AUX")):
                continue
            if after is not None and after.text in ("-", "–", "'s", "’s"):
                continue
            ch.pieces.insert(0, name)
            ch.start = name.start

    def _extend_left(self, doc: Doc, ch: Chain) -> None:
        i = ch.start
        while i > 0:
            t = doc[i - 1]
            low = t.lower_
            if low in self._dets:
                i -= 1
                break
            if low in self._former or (low == "-" and i > 1 and doc[i - 2].lower_ == "ex"):
                ch.former = True
                i -= 1
                continue
            if low == "-" and i > 1 and doc[i - 2].lower_ == "pro" and ch.pieces[0].kind in self._countryish:
                ch.patron_pieces.add(id(ch.pieces[0]))
                i -= 2
                continue
            if low == "pro-" and ch.pieces[0].kind in self._countryish:
                ch.patron_pieces.add(id(ch.pieces[0]))
                i -= 1
                continue
            if low in self._poss_pronouns and t.tag_ == "PRP$":
                ch.poss_pronoun = i - 1
                i -= 1
                break
            break
        ch.start = i
        # a lone "pro-X" (no actor noun after it) is not a patron relation
        if len(ch.pieces) == 1 and ch.patron_pieces:
            ch.patron_pieces.clear()

    # ------------------------------------------------------------------ coding

    def _code_chain(self, doc: Doc, ch: Chain, day: _dt.date | None) -> list[Actor]:
        countries: list[str] = []
        patron: str | None = None
        strong: Entry | None = None
        weak: Entry | None = None
        person: Entry | None = None
        newperson: Piece | None = None
        named: Entry | None = None
        countryish: Entry | None = None
        extra: str | None = None
        former = ch.former
        entries: list[str] = []
        for p in ch.pieces:
            e = p.entry
            if e is None:
                newperson = p
                continue
            entries.append(f"{e.id}~{p.how}" if p.how else e.id)
            if id(p) in ch.patron_pieces:
                patron = patron or e.country
                continue
            if e.kind in self._countryish:
                if e.country and e.country not in countries:
                    countries.append(e.country)
                if e.extra_sector:
                    extra = e.extra_sector
                if countryish is None or e.kind == "capital":
                    countryish = e
            elif e.kind == "agent":
                if e.weak:
                    weak = e
                elif e.sector is None and strong is not None:
                    pass  # "insurgent group": a sector-less head noun keeps the sector before it
                elif not (strong is not None and strong.modifier) or e.sector in self._armed_sectors:
                    strong = e  # a sector adjective ("agricultural workers") beats its noun, not an armed one
            elif e.kind == "person":
                person = e
            else:
                named = e
                if e.patron and not patron:
                    patron = e.patron
        if not ch.coord and len(countries) > 1:
            countries = countries[:1]
        role: Role | None = None
        if person is not None:
            role, was = _role_at(person.roles, day)
            former = former or was
            if day is None and strong is not None and strong.title and strong.sector != "ELI":
                # undated "Deputy Secretary Wolfowitz": the role the title names, not the latest one
                named_roles = [r for r in person.roles if strong.name.lower() in (r.title or "").lower()]
                if named_roles:
                    role = named_roles[-1]
        # country
        base_country: str | None = None
        if countries:
            base_country = countries[0]
        elif role is not None:
            base_country = role.country
        elif named is not None and named.country:
            base_country = named.country
        elif strong is not None and strong.country:
            base_country = strong.country
        # sector
        if strong is not None and named is not None and named.kind == "group" and strong.sector in ("REB", "UAF"):
            strong = None  # "Boko Haram gunmen": the group's own code wins over a generic armed noun
        if (role is not None and day is not None and not former and strong is not None and strong.title
                and strong.sector != "ELI"):
            strong = None  # with a date, the dated role outranks the title as written ("former X" stays ELI)
        sector: str | None
        if former:
            sector = "ELI"
        elif strong is not None and strong.sector:
            sector = strong.sector
        elif role is not None and role.sector:
            sector = role.sector
        elif named is not None and named.sector:
            sector = named.sector
        elif countryish is not None and countryish.kind == "capital" and len(ch.pieces) == 1:
            sector = countryish.sector
        elif weak is not None and weak.sector:
            sector = weak.sector
        elif countryish is not None and countryish.kind == "capital" and countryish.sector != "GOV":
            sector = countryish.sector
        elif extra:
            sector = extra
        elif (countryish is not None and countryish.kind == "demonym" and len(ch.pieces) == 1
              and doc[ch.end - 1].tag_ in ("NNS", "NNPS")):
            sector = "CVL"  # "ordinary Kazakhs": people of a country
        elif countryish is not None and countryish.kind == "place" and len(ch.pieces) == 1:
            sector = "CVL"  # a town as an actor stands for its inhabitants
        else:
            sector = None
        if sector is None and countryish is not None and countryish.kind == "capital" and not (strong or weak):
            sector = countryish.sector
        # kind and name
        if person is not None or newperson is not None:
            kind = "person"
            name = person.name if person else doc[newperson.start:newperson.end].text  # type: ignore[union-attr]
        elif named is not None:
            kind = named.kind
            name = named.name
        elif strong is not None or weak is not None:
            kind = "agent" if (countries or patron or base_country) else "description"
            name = None
        elif countryish is not None:
            kind = self._actor_kind.get(countryish.kind, countryish.kind)
            name = self._country_names.get(countryish.country or "", countryish.name)
            if countryish.kind in ("territory", "place"):
                name = countryish.name
        else:
            return []
        if kind == "description" and newperson is None:
            name = None
        if kind == "agent" and base_country:
            name = self._country_names.get(base_country)
        span = doc[ch.start:ch.end]
        start_char, end_char, text = span.start_char, span.end_char, span.text  # never doc.text: O(n) per call
        entry_id = "+".join(entries) if entries else None
        out_countries = countries if (ch.coord and len(countries) > 1) else [base_country]
        actors = []
        for c in out_countries:
            actors.append(Actor(text=text, name=name if len(out_countries) == 1 else self._country_names.get(c or ""),
                                country=c, sector=sector, kind=kind, patron=patron, entry=entry_id,
                                start=start_char, end=end_char))
        return actors
