"""Geoparsing: find every place mention in a parsed article and give it coordinates.

Mentions come from spaCy's GPE/LOC/FAC entities, from gazetteer-driven matching of bundled
names (countries, admin regions, named regions, water bodies, facilities) that spaCy missed or
mislabelled, and from country demonyms used as places ("Russian troops"). Each mention is
resolved against the offline gazetteer by a transparent score:

* feature class (country, admin1, continent, region ... beat a same-name village),
* log population and national capitals,
* explicit containers ("Fort Bliss in Texas", "Springfield, Illinois"),
* the countries and admin regions named elsewhere in the same article.

A mention the gazetteer does not know is still returned, with lat/lon null.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..errors import InputError
from ..gazetteer import Candidate, Gazetteer, country_demonyms, haversine_km, normalize, place_demonyms
from ..model import Place
from ..names import english_words, fold
from ..resources import Resources, default_resources

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# entity labels whose spans may contain a place name ("the Winnipeg Police Service")
EMBEDDING_LABELS = {"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
SCORING_FILE = "gazetteer/scoring.yaml"  # every weight and threshold of the geoparser, commented
WORDS_FILE = "gazetteer/words.yaml"  # the geoparser's word classes


class _Words:
    """The geoparser's word classes (data/gazetteer/words.yaml), as frozensets."""

    def __init__(self, data: dict) -> None:
        sets = {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}
        self.generic_suffixes = sets["generic_suffixes"]
        self.container_words = sets["container_words"]
        self.list_words = sets["list_words"]
        self.direction_words = sets["direction_words"]
        self.state_words = sets["state_words"]
        self.admin_unit_words = sets["admin_unit_words"]
        self.named_after_words = sets["named_after_words"]
        self.local_name_words = sets["named_after_words"] - sets["not_local_name_words"]
        self.place_words = sets["place_words"]
        self.site_words = sets["site_words"]
        self.site_links = sets["site_links"]
        self.honorifics = sets["honorifics"]
        self.compass_words = sets["compass_words"]
        self.plural_units: dict[str, str] = dict(data["plural_units"])
        self.saint_alternates: dict[str, str] = dict(data["saint_alternates"])


class _Scoring:
    """The geoparser's weights and thresholds (data/gazetteer/scoring.yaml, section ``geoparser``)."""

    def __init__(self, data: dict) -> None:
        for key, value in data.items():
            setattr(self, key, dict(value) if isinstance(value, dict) else value)


@dataclass
class _Context:
    """What the rest of the article says: countries (weighted), admin1 regions, resolved local places."""

    countries: dict[str, float] = field(default_factory=dict)
    admin1: set[tuple[str | None, str | None]] = field(default_factory=set)
    anchors: list[tuple[str, float, float]] = field(default_factory=list)
    # what each name contributed to ``countries``/``admin1``: a name is not its own context
    # (ten "London"s resolved to England in pass 1 must not outvote "St. Thomas, Ontario")
    own_countries: dict[str, dict[str, float]] = field(default_factory=dict)
    admin1_names: dict[tuple[str | None, str | None], set[str]] = field(default_factory=dict)


@dataclass
class _Mention:
    start: int  # token index
    end: int
    kind: str  # ent, gaz, demonym, weak
    label: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    container: _Mention | None = None
    choice: Candidate | None = None
    demonym_country: str | None = None
    key: str = ""  # normalised text
    unit: str = ""  # "County" for "Broward" in "Broward and Palm Beach counties"
    state_cue: bool = False  # "Tacoma, Washington", "California or Washington", "New York Gov."


class Geoparser:
    """Find and resolve place mentions in spaCy Docs against a Gazetteer.

    demonyms: also return country demonyms used as modifiers ("Russian troops") as places.
    plural_demonyms: also "Russians" (off: GWN/TR-News mark the modifier use only).
    city_min_population: cities this large are found even where spaCy tags no entity.
    person_places: accept a one-word PERSON entity that is a country/admin1 name ("Jordan").
    demonym_modifier_only: a demonym must modify a noun ("Syrian army"), not be a language ("in English").
    """

    def __init__(self, gazetteer: Gazetteer | None = None, demonyms: bool = True,
                 plural_demonyms: bool = False, city_min_population: int | None = None,
                 person_places: bool = False, demonym_modifier_only: bool = True,
                 resources: Resources | None = None) -> None:
        self.gaz = gazetteer or Gazetteer.load()
        self.resources = resources = resources or default_resources()
        self.s = _Scoring(resources.yaml(SCORING_FILE)["geoparser"])
        self.w = _Words(resources.yaml(WORDS_FILE))
        self._local_features = frozenset(self.s.local_features)
        self._town_features = frozenset(self.s.town_features)
        if city_min_population is None:
            city_min_population = int(self.s.city_min_population)
        self.use_demonyms = demonyms
        self.plural_demonyms = plural_demonyms
        self.city_min_population = city_min_population
        self.person_places = person_places
        self.demonym_modifier_only = demonym_modifier_only
        self._demonyms: dict[str, str] | None = None
        self._place_demonyms: dict[str, tuple[str, str | None]] = {}
        self._country_cand: dict[str, Candidate] = {}
        self._max_len = 6
        self._person_words: set[str] = set()
        self._main_town: Candidate | None = None

    # ------------------------------------------------------------------ helpers

    @property
    def demonyms(self) -> dict[str, str]:
        if self._demonyms is None:
            demonyms = country_demonyms(self.resources)
            self._place_demonyms = place_demonyms(self.resources)
            for key, (_, country) in self._place_demonyms.items():
                demonyms.setdefault(key, country or "")
            self._demonyms = demonyms
        return self._demonyms

    def _country(self, code: str) -> Candidate | None:
        if code not in self._country_cand:
            cand = self.gaz.country(code)
            if cand is None:
                return None
            self._country_cand[code] = cand
        return self._country_cand[code]

    def _lookup(self, text: str) -> list[Candidate]:
        cands = self.gaz.lookup(text)
        if cands:
            return cands
        key = normalize(text)
        words = key.split()
        w = self.w
        if len(words) > 1 and words[-1] in w.generic_suffixes and words[-1] not in w.admin_unit_words:
            return self.gaz.lookup(" ".join(words[:-1]))
        if len(words) > 1 and words[0] in w.saint_alternates:
            alt = w.saint_alternates[words[0]]
            return self.gaz.lookup(" ".join([alt, *words[1:]]))
        if 1 < len(words) <= 6 and words[-1] not in w.admin_unit_words and words[-1] not in w.named_after_words:
            # "north west London", "Nazi Germany", "City of Montreal": the longest known part
            # (not for "Adair County": a county is not the town it is named after, nor is "Hampton Avenue"
            # or "Liverpool Academy": streets and buildings are left to their container or the article's town)
            known = self.gaz.bundled_keys()
            cities = self.gaz.city_keys(self.s.subspan_min_population)
            for length in range(len(words) - 1, 0, -1):
                for i in range(len(words) - length, -1, -1):
                    part = words[i:i + length]
                    if all(x in w.place_words for x in part):
                        continue
                    sub = " ".join(part)
                    if sub in known or sub in cities:
                        return self.gaz.lookup(sub)
        # a name in another spelling, or one typo away from a bundled name ("Azerbaidjan", "Tajikstan")
        alpha = [x for x in text.split() if x.isalpha()]
        typo = bool(alpha) and all(x[:1].isupper() and fold(x) not in self._english() for x in alpha)
        found = self.gaz.variant(text, typo=typo)
        return self.gaz.lookup(found[0]) if found else []

    def _english(self) -> frozenset[str]:
        """English words of the spaCy model (a word among them is never read as a misspelt place)."""
        from ..nlp import load_model

        return english_words(load_model())

    # ------------------------------------------------------------------ mentions

    def _mentions(self, doc: Doc) -> list[_Mention]:
        mentions: list[_Mention] = []
        # words of people's names in this article: a later "Bush said" is the person, not a town
        self._person_words = {t.lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e
                              if t.text[:1].isupper()}
        covered = [False] * len(doc)
        for start, end, unit in _unit_lists(doc, self.w):  # "Broward and Palm Beach counties"
            mentions.append(_Mention(start, end, "ent", "GPE", unit=unit))
            for i in range(start, end):
                covered[i] = True
        for ent in self._entities(doc):
            start, end = _trim(doc, ent.start, ent.end)
            if start >= end or any(covered[start:end]):
                continue
            span = doc[start:end]
            key = normalize(span.text)
            if ent.label_ in (PLACE_LABELS | {"ORG"}) and _site(doc, start, end, self.w):
                mentions.append(_Mention(start, end, "site", ent.label_))  # placed at the site named next
            elif ent.label_ in PLACE_LABELS:
                if _bare_direction(doc, start, end, self.w):
                    pass  # "the West", "the North": a bloc or a vague part of a country, not a town named West
                elif len(span) == 1 and key in self.demonyms and key not in self.gaz.bundled_keys():
                    if self._is_demonym(span):  # "Welsh" tagged as a place: the demonym, else a language
                        mentions.append(_Mention(start, end, "demonym", ent.label_,
                                                 demonym_country=self.demonyms[key]))
                else:
                    mentions.extend(self._split_commas(doc, span, ent.label_))
            elif ent.label_ == "NORP":
                name_end = _named_after(doc, end, self.w)
                if name_end:
                    # "the French Quarter", "the British International School": a local place named with
                    # a nationality word, placed at its container or the article's main town
                    mentions.append(_Mention(start, name_end, "ent", "FAC"))
                    for i in range(start, name_end):
                        covered[i] = True
                    continue
                if self._is_demonym(span):
                    mentions.append(_Mention(start, end, "demonym", ent.label_, demonym_country=self.demonyms[key]))
                elif self._known(key, span):
                    mentions.append(_Mention(start, end, "gaz", ent.label_))
                else:
                    continue
            elif ent.label_ == "PERSON":
                if self.person_places and key in self.gaz.bundled_keys() and len(span) == 1:
                    mentions.append(_Mention(start, end, "gaz", ent.label_))
                elif not self._known(key, span) and self._exact(span):
                    # "Klamath Falls" tagged as a person: kept only if near other places of the article
                    mentions.append(_Mention(start, end, "weak", ent.label_))
                else:
                    continue  # left to the scan below, which knows major names and skips "Vladimir Putin"
            elif ent.label_ in EMBEDDING_LABELS:
                if ent.label_ == "ORG" and self._exact(span) and not self._known(key, span):
                    mentions.append(_Mention(start, end, "weak", ent.label_))
                elif ent.label_ == "ORG" and self._institution(span):
                    pass  # "the Kremlin said", "White House officials": the institution, not the place
                else:
                    # place names inside organisation names etc. ("Winnipeg Fire Service", "BBC Russian Service")
                    self._scan(doc, ent.start, ent.end, [False] * len(doc), mentions)
            for i in range(ent.start, ent.end):
                covered[i] = True
        # place names spaCy did not tag at all
        self._scan(doc, 0, len(doc), covered, mentions)
        # other runs of proper nouns that are gazetteer names: kept only near other places
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and j - i < 4 and not covered[j] and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
                j += 1
            if j > i and not self._in_name(doc, i, j) and not doc[i].is_sent_start and self._exact(doc[i:j]):
                mentions.append(_Mention(i, j, "weak", ""))
            i = max(j, i + 1)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _entities(self, doc: Doc) -> list[Span]:
        """spaCy's entities, with a place name it cut in two joined again ("Boa" + "Vista", "Baja" + "California")."""
        out: list[Span] = []
        for ent in doc.ents:
            prev = out[-1] if out else None
            if (prev is not None and prev.end == ent.start and PLACE_LABELS & {prev.label_, ent.label_}
                    and prev.text[:1].isupper() and ent.text[:1].isupper()):
                start, end = _trim(doc, prev.start, ent.end)
                joined = doc[start:end]
                if self.gaz.lookup(joined.text) and self._known(normalize(joined.text), joined):
                    out[-1] = Span(doc, prev.start, ent.end, label="GPE")
                    continue
            out.append(ent)
        return out

    def _exact(self, span: Span) -> bool:
        """True when the span is the main name (or a curated alias) of a gazetteer entry, same letter case."""
        text = span.text
        if len(text) < 4 or not text[:1].isupper() or text.lower() in self._person_words:
            return False
        return any(c.exact and c.lat is not None and (c.name == text or text.isupper() or c.feature not in (
            "city", "capital")) for c in self.gaz.lookup(text))

    def _own_name(self, span: Span) -> bool:
        """True when the span is the main name of its best gazetteer entry ("LA PAZ"), not an abbreviation ("LA")."""
        cands = self.gaz.lookup(span.text)
        return bool(cands) and normalize(cands[0].name) == normalize(span.text)

    def _institution(self, span: Span) -> bool:
        """True when the whole span is the name of a bundled facility (a seat of government, a landmark)."""
        cands = self.gaz.lookup(span.text)
        return bool(cands) and cands[0].feature == "facility" and normalize(span.text) in self.gaz.bundled_keys()

    def _known(self, key: str, span: Span) -> bool:
        if key in self.gaz.bundled_keys():
            return len(span) > 1 or len(span.text) > 3 or span.text.isupper()
        if key not in self.gaz.city_keys(self.city_min_population):
            return False
        if span.text.isupper() and len(span.text) > 1:
            # "FURTHER READING" is a heading, "BEIRUT (AP) —" a dateline
            nxt = span.doc[span.end] if span.end < len(span.doc) else None
            return span[0].is_sent_start and (nxt is None or nxt.is_punct)
        return True

    def _is_demonym(self, span: Span) -> bool:
        if not self.use_demonyms or normalize(span.text) not in self.demonyms:
            return False
        if not self.plural_demonyms and span[-1].tag_ in ("NNPS", "NNS"):
            return False
        if _named_after(span.doc, span.end, self.w):
            return False  # "French Quarter": part of a local name
        if self.demonym_modifier_only:
            # "Russian troops", "the Syrian army": a modifier of a following noun, not "speaks English"
            tok = span[-1]
            head = tok.head
            if head.i > tok.i:
                return head.pos_ in ("NOUN", "PROPN", "VERB", "ADJ")  # "Russian troops", "Turkish-backed"
            # "in English", "speaks Turkish": a language; "the Russian said": a person
            return head.i != tok.i and head.pos_ not in ("ADP", "VERB", "AUX") and tok.dep_ not in (
                "nsubj", "nsubjpass", "dobj", "pobj", "attr")
        return True

    def _in_name(self, doc: Doc, start: int, end: int) -> bool:
        """True when a one-word match is part of a person's name ("Vladimir Putin", "Mr Paterson")."""
        if end - start != 1:
            return False
        prev = doc[start - 1] if start > 0 else None
        nxt = doc[end] if end < len(doc) else None
        if prev is not None and (prev.ent_type_ == "PERSON" or prev.lower_.rstrip(".") in self.w.honorifics):
            return True
        return nxt is not None and nxt.ent_type_ == "PERSON" and nxt.text[:1].isupper()

    def _scan(self, doc: Doc, start: int, end: int, covered: list[bool], mentions: list[_Mention]) -> None:
        """Greedy longest match of known names over capitalised proper-noun tokens."""
        i = start
        while i < end:
            tok = doc[i]
            if covered[i] or not tok.text[:1].isupper():
                i += 1
                continue
            hit, kind = 0, "gaz"
            for length in range(min(self._max_len, end - i), 0, -1):
                if any(covered[i:i + length]):
                    continue
                span = doc[i:i + length]
                if not span[-1].text[:1].isalnum():
                    continue
                name_end = _named_after(doc, i + 1, self.w) if length == 1 and normalize(tok.text) in self.demonyms else 0
                if name_end:
                    hit, kind = name_end - i, "local"  # "British International School"
                    break
                if length == 1 and self._is_demonym(span) and tok.pos_ in ("ADJ", "PROPN", "NOUN"):
                    hit, kind = 1, "demonym"
                    break
                if tok.pos_ != "PROPN" and not (length > 1 and span[-1].pos_ == "PROPN"):
                    continue
                if (self._known(normalize(span.text), span) and not self._in_name(doc, i, i + length)
                        and not (length == 1 and tok.lower_ in self._person_words
                                 and normalize(tok.text) not in self.gaz.bundled_keys())):
                    hit = length
                    break
            if hit:
                span = doc[i:i + hit]
                m = _Mention(i, i + hit, "ent", "FAC") if kind == "local" else _Mention(i, i + hit, kind, "")
                if kind == "demonym":
                    m.demonym_country = self.demonyms[normalize(span.text)]
                mentions.append(m)
                for k in range(i, i + hit):
                    covered[k] = True
                i += hit
            else:
                i += 1

    def _split_commas(self, doc: Doc, span: Span, label: str) -> list[_Mention]:
        """'Springfield, Illinois' tagged as one entity becomes two mentions."""
        parts: list[tuple[int, int]] = []
        cur = span.start
        for tok in span:
            if tok.text == "," and tok.i > cur:
                parts.append((cur, tok.i))
                cur = tok.i + 1
        if not parts:
            halves = self._two_countries(span)
            if halves:  # "Cyprus, Greece Italy or Spain": a missing comma
                return [_Mention(a, b, "ent", label) for a, b in halves]
            return [_Mention(span.start, span.end, "ent", label)]
        parts.append((cur, span.end))
        if all(self._lookup(doc[a:b].text) for a, b in parts if b > a):
            return [_Mention(a, b, "ent", label) for a, b in parts if b > a]
        return [_Mention(span.start, span.end, "ent", label)]

    def _two_countries(self, span: Span) -> list[tuple[int, int]]:
        """Two country names run together in one entity ("Greece Italy"): their two token ranges."""
        if len(span) < 2 or self.gaz.lookup(span.text):
            return []
        for cut in range(span.start + 1, span.end):
            left, right = span.doc[span.start:cut], span.doc[cut:span.end]
            if all(any(c.exact and c.feature == "country" for c in self.gaz.lookup(part.text)) for part in (left, right)):
                return [(span.start, cut), (cut, span.end)]
        return []

    # ------------------------------------------------------------------ resolution

    def _score(self, cand: Candidate, mention: _Mention, ctx: _Context) -> float:
        s = self.s
        feature = cand.feature
        if cand.population > 0:
            score = math.log10(cand.population + 1)
            if feature in ("city", "capital"):
                # a steeper population prior for towns, pivoting at 100k people (a big city gains only
                # under its own name: "Mexico" is the country, not Mexico City)
                steep = (s.city_pop_weight - 1.0) * (score - s.city_pop_pivot)
                score += steep if steep < 0 or cand.exact else 0.0
        else:
            score = s.bundled_base if feature != "city" else 0.0
        score += s.feature_bonus.get(feature, s.other_feature_bonus)
        if cand.exact:
            score += s.exact_bonus
        if feature == "capital" and (cand.population < s.capital_min_population or not cand.exact):
            # a small capital, or a capital by a nickname ("Garden City" for Singapore), is no capital here
            score -= s.feature_bonus["capital"]
        if feature == "admin1" and mention.state_cue:
            score += s.state_cue_bonus
        if feature == "admin1" and not mention.state_cue and any(
            c.feature in ("city", "capital") and c.country == cand.country
            and (c.population >= s.big_city or c.feature == "capital") for c in mention.candidates
        ):
            score -= s.big_city_state_penalty  # "New York", "Washington": the big city is meant more often than the state
        if feature in ("city", "capital") and cand.population < s.small_town and any(
                c.exact and c.feature not in ("city", "capital") for c in mention.candidates):
            score -= s.small_namesake_penalty  # "Middle East", "Atlantic", "Jordan": a curated entry beats a small namesake town
        if feature == "facility" and not cand.exact and mention.kind != "ent":
            score -= s.facility_alias_penalty
        if cand.country and cand.country in ctx.countries:
            weight = ctx.countries[cand.country] - ctx.own_countries.get(mention.key, {}).get(cand.country, 0.0)
            if weight > 0:
                score += s.context_country + s.context_country_step * min(s.context_country_cap, weight)
        if feature not in ("admin1", "country") and ctx.admin1_names.get((cand.country, cand.admin1), set()) - {
                mention.key}:
            score += s.context_admin1
        if ctx.anchors and cand.lat is not None and feature in self._local_features:
            key = normalize(cand.name)
            for name, lat, lon in ctx.anchors:
                if name != key and haversine_km(cand.lat, cand.lon, lat, lon) <= s.near_km:  # type: ignore[arg-type]
                    score += s.context_near
                    break
        return score

    def _inside(self, cand: Candidate, container: Candidate) -> bool:
        if container.feature == "country":
            return cand.country == container.country and cand.feature != "country"
        if container.feature == "admin1":
            if cand.country != container.country or cand.feature in ("country", "admin1"):
                return False
            if cand.admin1 and container.admin1:
                return cand.admin1 == container.admin1
            if None in (cand.lat, container.lat):
                return True
            # no admin1 code to compare (bundled facilities, regions): a large state is ~1000 km across
            return haversine_km(cand.lat, cand.lon, container.lat, container.lon) < self.s.admin1_container_km  # type: ignore[arg-type]
        if container.lat is not None and cand.lat is not None:
            limit = self.s.container_km.get(container.feature, self.s.container_km_other)
            return haversine_km(cand.lat, cand.lon, container.lat, container.lon) < limit
        return False

    def _resolve_all(self, doc: Doc, mentions: list[_Mention]) -> None:
        self._memo: dict[tuple[int, str, str | None, int, str, bool], Candidate | None] = {}
        for m in mentions:
            if m.kind == "demonym":
                m.candidates = self._demonym_candidates(normalize(doc[m.start:m.end].text), m.demonym_country)
            elif m.kind == "site":
                m.candidates = []  # "Embassy of Armenia" is not in Armenia: it lies where the text says
            elif m.unit:
                m.candidates = (self.gaz.lookup(f"{doc[m.start:m.end].text} {m.unit}")
                                or self._lookup(doc[m.start:m.end].text))  # "Kentucky, Adair and Russell counties"
            else:
                m.candidates = self._lookup(doc[m.start:m.end].text)
            m.key = normalize(doc[m.start:m.end].text)
        # explicit containers: "X, Y" / "X in Y" with Y right after
        strong = [m for m in mentions if m.kind != "weak"]
        w, s = self.w, self.s
        for a, b in zip(strong, strong[1:], strict=False):
            if a.kind == "site" and b.kind != "demonym" and _site_link(doc, a.end, w) == b.start:
                a.container = b
                continue
            if b.start == a.end + 1 and doc[a.end].lower_ in ("'s", "\u2019s") and a.kind != "demonym" \
                    and b.kind != "demonym" and all(c.feature in self._local_features for c in b.candidates):
                # "Tripoli's Ain Zara district", "Dhaka's Shahbag area" (not "Toronto's Ontario health cards")
                b.container = a
                continue
            if b.start == a.end + 1 and doc[a.end].text in w.container_words and b.kind != "demonym" and not (
                    a.candidates and a.candidates[0].feature in ("country", "continent")):  # "in Russia, U.S. ..."
                a.container = b
                if doc[a.end].text == "," and not _listed_next(doc, b, strong, w):
                    b.state_cue = True  # after "Town," a name like "Washington" is the state
        for m in strong:
            nxt = doc[m.end] if m.end < len(doc) else None
            prev = doc[m.start - 1] if m.start > 0 else None
            if (nxt is not None and nxt.lower_.rstrip(".") in w.state_words) or (
                    prev is not None and prev.lower_ in w.direction_words):
                m.state_cue = True  # "New York Gov.", "central Washington"
        # "Springfield, IL": a US postal abbreviation right after the comma
        states = self.gaz.admin1_by_code("USA")
        for m in strong:
            if m.container is None and m.end + 1 < len(doc) and doc[m.end].text == ",":
                code = doc[m.end + 1].text.replace(".", "")
                if len(code) == 2 and code.isupper() and code in states:
                    state = states[code]
                    m.container = _Mention(m.end + 1, m.end + 2, "gaz", "", candidates=[state], choice=state)
        # pass 1 without context, pass 2 with the countries, admin regions and places of pass 1
        empty = _Context()
        for m in mentions:
            m.choice = self._choose(m, empty)
        # in a list of states ("Alaska, Hawaii, Florida and Washington") a state name is a state
        for a, b in zip(strong, strong[1:], strict=False):
            if (b.start - a.end <= 2 and all(t.text in w.list_words for t in doc[a.end:b.start]) and b.start > a.end
                    and a.container is not b):
                if a.choice is not None and a.choice.feature == "admin1":
                    b.state_cue = True
                if b.choice is not None and b.choice.feature == "admin1":
                    a.state_cue = True
        ctx = _Context()
        for m in mentions:
            c = m.choice
            if c is None or not c.country or m.kind == "weak":
                continue
            if c.feature in ("country", "admin1") or len(m.candidates) == 1 or c.population >= s.context_city_population:
                weight = 1.0 if m.kind != "demonym" else s.demonym_context_weight
                ctx.countries[c.country] = ctx.countries.get(c.country, 0.0) + weight
                own = ctx.own_countries.setdefault(m.key, {})
                own[c.country] = own.get(c.country, 0.0) + weight
            if c.feature == "admin1":
                ctx.admin1.add((c.country, c.admin1))
                ctx.admin1_names.setdefault((c.country, c.admin1), set()).add(m.key)
            if c.feature in self._local_features and c.lat is not None and len(ctx.anchors) < s.max_anchors:
                ctx.anchors.append((normalize(c.name), c.lat, c.lon))  # type: ignore[arg-type]
        for m in mentions:
            m.choice = self._choose(m, ctx)
            if m.kind == "weak" and not self._near_anchor(m.choice, ctx):
                m.choice = None
        # one sense per article: a name made explicit once ("Tacoma, Washington") means the same elsewhere
        settled: dict[str, Candidate] = {}
        counties: dict[str, Candidate] = {}
        for m in mentions:
            if m.choice is None or m.kind == "weak":
                continue
            if m.container is not None or m.state_cue:
                settled.setdefault(m.key, m.choice)
            if m.choice.feature == "admin1" and m.key != normalize(m.choice.name) and (
                    m.state_cue or doc[m.end - 1].text.endswith(".")):
                # "Tacoma, WA", "Camp Murray, Wash.": the state's full name means the state in this article too
                settled.setdefault(normalize(m.choice.name), m.choice)
            words = m.key.split()
            if m.choice.feature == "admin2" and m.choice.lat is not None and len(words) > 1 and words[-1] in (
                    "county", "parish"):
                counties.setdefault(" ".join(words[:-1]), m.choice)
        for m in mentions:
            if m.container is not None or m.state_cue or m.choice is None or m.kind == "weak":
                continue
            if m.key in settled:
                m.choice = settled[m.key]
            elif m.key in counties and (m.choice.lat is None or haversine_km(
                    m.choice.lat, m.choice.lon, counties[m.key].lat, counties[m.key].lon) > s.near_km):  # type: ignore[arg-type]
                m.choice = counties[m.key]  # "the Suffolk Times" in an article about Suffolk County, N.Y.
        # the article's main town: unknown streets, buildings and neighbourhoods are placed there
        # (the most named town of the article's most named country: not Boston in a story about India;
        # and of its most named state or province: not a Massachusetts town in a story about Virginia)
        top = max(ctx.countries, key=lambda k: ctx.countries[k]) if ctx.countries else None
        counts: dict[str, int] = {}
        first: dict[str, Candidate] = {}
        regions: dict[str | None, int] = {}
        for m in mentions:
            c = m.choice
            if c is None or m.kind == "weak" or (top is not None and c.country != top):
                continue
            if c.feature in self._town_features and c.lat is not None:
                counts[m.key] = counts.get(m.key, 0) + 1
                first.setdefault(m.key, c)
            if c.admin1 and c.feature in (*self._town_features, "admin1"):
                regions[c.admin1] = regions.get(c.admin1, 0) + 1
        home = max(regions, key=lambda k: regions[k]) if regions else None
        self._main_town = first[max(counts, key=lambda k: (first[k].admin1 == home, counts[k]))] if counts else None

    def _demonym_candidates(self, key: str, country: str | None) -> list[Candidate]:
        """The place a demonym names: a region below country level ("Catalan") or the country."""
        place = self._place_demonyms.get(key)
        if place is not None:
            name, code = place
            hits = [c for c in self.gaz.lookup(name) if c.feature not in ("city", "capital")
                    and (code is None or c.country == code) and c.lat is not None]
            if hits:
                return hits[:1]
        cand = self._country(country or "")
        return [cand] if cand else []

    def _near_anchor(self, c: Candidate | None, ctx: _Context) -> bool:
        if c is None or c.lat is None or c.lon is None:
            return False
        key = normalize(c.name)
        return any(name != key and haversine_km(c.lat, c.lon, lat, lon) <= self.s.weak_near_km
                   for name, lat, lon in ctx.anchors)

    def _choose(self, m: _Mention, ctx: _Context) -> Candidate | None:
        cands = m.candidates
        if not cands:
            return None
        memo_key = None
        if m.container is None:
            # the same name in the same article resolves the same way (long articles repeat "Syria" often)
            memo_key = (id(ctx), m.kind, m.demonym_country, id(cands), m.key, m.state_cue)
            if memo_key in self._memo:
                return self._memo[memo_key]
        choice = self._choose_uncached(m, ctx, cands)
        if memo_key is not None:
            self._memo[memo_key] = choice
        return choice

    def _choose_uncached(self, m: _Mention, ctx: _Context, cands: list[Candidate]) -> Candidate | None:
        box = None
        if m.container is not None and m.container.candidates:
            container = m.container.choice or m.container.candidates[0]
            inside = [c for c in cands if self._inside(c, container)]
            if inside:
                cands = inside
                if container.lat is not None and container.feature in ("admin2", "city", "capital"):
                    box = container
        if len(cands) == 1:
            return cands[0]
        if box is not None:  # "Croft, Yorkshire": of the namesakes inside, the nearer to the container's point
            return max(cands[:self.s.max_scored], key=lambda c: self._score(c, m, ctx) - (
                haversine_km(c.lat, c.lon, box.lat, box.lon) / self.s.container_km_per_point  # type: ignore[arg-type]
                if c.lat is not None else 0.0))
        return max(cands[:self.s.max_scored], key=lambda c: self._score(c, m, ctx))

    def _admin1_name(self, c: Candidate) -> str | None:
        """The admin1 region's name where the gazetteer knows it (US, Canada), else its GeoNames code."""
        if c.feature == "admin1":
            return c.name
        if c.admin1 and c.country:
            region = self.gaz.admin1_by_code(c.country).get(c.admin1)
            if region is not None:
                return region.name
        return c.admin1

    # ------------------------------------------------------------------ public

    def geoparse(self, doc: Doc) -> list[Place]:
        """Every place mention in ``doc`` as a Place (char offsets into doc.text)."""
        if not isinstance(doc, Doc):
            raise InputError(f"geoparse expects a spaCy Doc, got {type(doc).__name__}; parse the text with "
                             "eventwire.nlp.load_model().pipe(...) first")
        mentions = self._mentions(doc)
        if _all_caps(doc, self.s.all_caps_share):
            short = int(self.s.all_caps_max_short)
            mentions = [m for m in mentions if any(len(t.text) > short for t in doc[m.start:m.end])
                        or self._own_name(doc[m.start:m.end])]
        self._resolve_all(doc, mentions)
        places: list[Place] = []
        for m in mentions:
            span = doc[m.start:m.end]
            c = m.choice
            if c is None and (m.kind not in ("ent", "site") or (m.label == "GPE" and not _placelike(span, self.w))):
                continue
            if c is None:
                town = self._main_town
                if m.container is not None and m.container.choice is not None and m.container.choice.lat is not None:
                    town = m.container.choice  # "Kamenné Square in Bratislava", "Convention Centre, Dublin"
                    after = doc[m.container.end] if m.container.end < len(doc) else None
                    if town.feature == "country" and town.country and after is not None and after.lower_ == "capital":
                        town = self.gaz.capital(town.country) or town  # "in the U.S. capital"
                if town is None:
                    places.append(Place(text=span.text, name=span.text, start=span.start_char, end=span.end_char))
                else:  # "Frenchmen Street" in a story about New Orleans: at the town's point
                    places.append(Place(
                        text=span.text, name=span.text, country=town.country, admin1=self._admin1_name(town),
                        lat=town.lat, lon=town.lon, feature="local", start=span.start_char, end=span.end_char))
                continue
            places.append(Place(
                text=span.text, name=c.name, country=c.country, admin1=self._admin1_name(c), lat=c.lat, lon=c.lon,
                geonameid=c.geonameid, feature="city" if c.feature == "capital" else c.feature,
                start=span.start_char, end=span.end_char))
        return places


def _listed_next(doc: Doc, m: _Mention, mentions: list[_Mention], w: _Words) -> bool:
    """True when another mention follows ``m`` in a list ("Miami, New York, and Detroit")."""
    for other in mentions:
        if other.start >= m.end:
            gap = doc[m.end:other.start]
            return 0 < len(gap) <= 2 and all(t.text in w.list_words for t in gap)
    return False


def _placelike(span: Span, w: _Words) -> bool:
    """An unknown GPE is kept only when it looks like a place name ("Collier County", "Torkula village")."""
    words = [t.lower_ for t in span]
    return len(words) > 1 and span[0].text[:1].isupper() and any(x in w.place_words for x in words)


def _named_after(doc: Doc, end: int, w: _Words) -> int:
    """The end of a local name that continues a nationality word ("French | Quarter", "British |
    International School"): up to three capitalised words ending in a local-name word (words.yaml), else 0."""
    i = end
    while i < len(doc) and i < end + 3 and doc[i].text[:1].isupper() and doc[i].pos_ in ("PROPN", "NOUN", "ADJ"):
        if doc[i].lower_ in w.local_name_words:
            return i + 1
        i += 1
    return 0


def _site(doc: Doc, start: int, end: int, w: _Words) -> bool:
    """True for an institution named with a site word and followed by where it is ("... University at San Marcos").

    The site word heads the name: not "the Culture Department of the Armenian Embassy"."""
    return doc[start:end].root.lower_ in w.site_words and _site_link(doc, end, w) is not None


def _site_link(doc: Doc, end: int, w: _Words) -> int | None:
    """Where the place named after a site begins: past "in" / "at" / "," and an optional "the"
    ("... University at San Marcos"); None when no capitalised word follows such a link, or when a
    comma starts the next item of a list rather than a place entity of its own ("..., Los Angeles")."""
    i = end
    if i >= len(doc) or doc[i].lower_ not in w.site_links:
        return None
    comma = doc[i].text == ","
    i += 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    if i >= len(doc) or not doc[i].text[:1].isupper():
        return None
    if comma and not (doc[i].ent_type_ in ("GPE", "LOC") and doc[i].ent_iob_ == "B"):
        return None
    return i


def _unit_lists(doc: Doc, w: _Words) -> list[tuple[int, int, str]]:
    """Names listed before a plural admin unit ("Adair, Casey and Russell counties"): (start, end, unit)."""
    out: list[tuple[int, int, str]] = []
    for tok in doc:
        unit = w.plural_units.get(tok.lower_)
        if unit is None or tok.i == 0:
            continue
        names: list[tuple[int, int]] = []
        i, end = tok.i - 1, tok.i
        while i >= 0 and tok.i - i <= 12:
            word = doc[i]
            if word.text in w.list_words:
                if end > i + 1:
                    names.append((i + 1, end))
                end = i
            elif not (word.text[:1].isupper() and word.is_alpha):
                break
            i -= 1
        if end > i + 1:
            names.append((i + 1, end))
        out.extend((a, b, unit) for a, b in names if a < b)
    return out


def _bare_direction(doc: Doc, start: int, end: int, w: _Words) -> bool:
    """True for "the West", "the North": a compass word alone after "the"."""
    return (end - start == 1 and doc[start].lower_ in w.compass_words and start > 0
            and doc[start - 1].lower_ == "the")


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the', trailing possessive and punctuation from a token range."""
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "\u2019s", "'")):
        end -= 1
    return start, end


__all__ = ["Geoparser"]


def _all_caps(doc: Doc, share: float) -> bool:
    """True for all-capitals copy: at least ``share`` of the letters of the text's start are upper case."""
    letters = [c for c in doc.text[:2000] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= share
