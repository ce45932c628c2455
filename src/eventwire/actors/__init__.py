"""Actor coding: who is acting, coded to country (ISO alpha-3 or IGO/UNO/EUR/IMG) and sector.

``ActorCoder`` loads the YAML dictionaries in ``eventwire/data/actors`` once and codes either a
short phrase (:meth:`ActorCoder.code_phrase`) or every actor mention in a parsed Doc
(:meth:`ActorCoder.find_actors`).
"""

from __future__ import annotations

from .coder import ActorCoder
from .dictionary import Dictionary, Entry, load_dictionary

__all__ = ["ActorCoder", "Dictionary", "Entry", "load_dictionary"]
