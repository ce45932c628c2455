"""The containers of actor coding shared by the coder and its coreference: dictionary pieces and chains."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dictionary import Entry


@dataclass
class Piece:
    """A dictionary match (or an unknown person name) over tokens [start, end)."""

    start: int
    end: int
    entry: Entry | None  # None for an unknown person name taken from NER
    alts: list[Entry] = field(default_factory=list)
    how: str = ""  # how a name matched when not as written: normalised, transliteration, typo

    @property
    def kind(self) -> str:
        return self.entry.kind if self.entry else "newperson"


@dataclass
class Chain:
    """Pieces forming one actor mention."""

    pieces: list[Piece]
    start: int
    end: int
    patrons: list[str] = field(default_factory=list)
    patron_pieces: set[int] = field(default_factory=set)  # ids of pieces used as patron
    coord: bool = False
    former: bool = False
    poss_pronoun: int | None = None  # token index of "its"/"their" before the chain
