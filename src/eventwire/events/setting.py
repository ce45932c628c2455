"""The article's setting: a place for an event whose sentence states none (guideline §4).

An event of a type that acts on a place (``target_place_types``: an attack, a seizure, a visit)
whose target is a place named as such ("shelled Afrin", "attacks on Madrid", "travelled to
Paris") takes that place, as stated in the sentence. Any other event whose own sentence gives no
place is set where the article sets it: the nearest place
named before its trigger in its own sentence or the ``lookback_sentences`` before it ("the
previous sentence's town"), else the country the article names most often (nationality words,
"Russian troops", name actors, not the setting, and are not counted) (the dateline's and
the story's country: talks about Syria "in Vienna" keep Austria, an unlocated shelling in a
Syria article is in Syria). The place given has no offsets (``start``/``end`` None): it is not
stated in the sentence, and scorers and readers can tell it from a stated place.

The parameters are in ``data/gazetteer/scoring.yaml`` (section ``event_setting``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from typing import Any

from spacy.tokens import Doc

from ..model import Event, Place


class ArticleSetting:
    """The places of one article, in text order, and its most-named country."""

    def __init__(self, places: list[Place], sentence_starts: list[int], params: dict[str, Any],
                 doc: Doc | None = None) -> None:
        self.places = sorted((pl for pl in places if pl.country and pl.start is not None and _names_place(doc, pl)),
                             key=lambda pl: pl.start or 0)
        self.place_starts = [pl.start or 0 for pl in self.places]
        self.sentence_starts = sentence_starts
        self.lookback = int(params["lookback_sentences"])
        counts = Counter(pl.country for pl in self.places)
        self.country: str | None = None
        if counts:
            (code, n), = counts.most_common(1)
            if n >= int(params["min_country_mentions"]):
                self.country = code
        # the country's own mention stands for it (its centroid); else the country alone
        self.country_place: Place | None = None
        if self.country is not None:
            own = [pl for pl in self.places if pl.country == self.country]
            best = next((pl for pl in own if pl.feature == "country"), None)
            self.country_place = (best.model_copy(update={"start": None, "end": None}) if best is not None else
                                  Place(text=self.country, country=self.country, feature="country"))

    def place_of(self, event: Event) -> Place | None:
        """The place the article sets an unlocated event in, or None."""
        si = bisect_right(self.sentence_starts, event.trigger.start) - 1
        earliest = self.sentence_starts[max(0, si - self.lookback)] if si >= 0 else 0
        i = bisect_right(self.place_starts, event.trigger.start) - 1
        if i >= 0 and self.place_starts[i] >= earliest:
            return self.places[i].model_copy(update={"start": None, "end": None})
        return self.country_place.model_copy() if self.country_place is not None else None


def _names_place(doc: Doc | None, place: Place) -> bool:
    """False for a nationality word read as its country ("Russian troops", "the Syrian coast"): it tells
    whose actors or things are named, not where the article is set."""
    if doc is None or place.start is None or place.end is None:
        return True
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    return span is None or not (span.root.pos_ == "ADJ" or span.root.ent_type_ == "NORP")


def set_unlocated(events: list[Event], places: list[Place], sentence_starts: list[int], params: dict[str, Any],
                  doc: Doc | None = None) -> None:
    """Give every event with no place of its own the article's setting (in place)."""
    if not any(not ev.locations for ev in events):
        return
    setting = ArticleSetting(places, sentence_starts, params, doc)
    by_span = {(pl.start, pl.end): pl for pl in places if pl.start is not None and pl.country}
    on_place = frozenset(params["target_place_types"])
    for ev in events:
        if not ev.locations and ev.event_type in on_place:
            named = [by_span[(a.start, a.end)] for a in ev.target if (a.start, a.end) in by_span]
            ev.locations = [pl.model_copy() for pl in named]
        if not ev.locations:
            place = setting.place_of(ev)
            if place is not None:
                ev.locations = [place]
