"""Explanation: why each candidate trigger became an event or not, per sentence.

``EventExtractor.extract`` returns one with the events: per sentence its text, the actors found
(``text -> country sector (kind)``), and one note per candidate trigger: the rule, ``coded`` or
``dropped`` and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span

from ..model import Actor


@dataclass
class Explanation:
    """Why each candidate trigger became an event or not, per sentence."""

    sentences: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the whole text (e.g. its case was restored)

    def note(self, sent_index: int, **item: Any) -> None:
        self.sentences[sent_index]["triggers"].append(item)


    @classmethod
    def for_sentences(cls, sents: list[Span]) -> Explanation:
        return cls(sentences=[dict(index=i, text=s.text.strip(), actors=[], triggers=[]) for i, s in enumerate(sents)])

    def actor(self, sent_index: int, actor: Actor) -> None:
        self.sentences[sent_index]["actors"].append(
            f"{actor.text} -> {actor.country or '-'} {actor.sector or '-'}" + (f" ({actor.kind})" if actor.kind else "")
            # a name matched otherwise than as written: which entry, and how ("~transliteration")
            + (f" [{actor.entry}]" if actor.entry and "~" in actor.entry else ""))
