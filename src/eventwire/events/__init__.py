"""Stage 4, events: trigger lemmas plus dependency rules -> PLOVER events with provenance.

``EventExtractor(patterns).extract(inputs)`` reads one parsed article with its actors,
places, time expressions, quantities and attributions, and returns the events and an
explanation log (per sentence: triggers matched, rules fired, candidates dropped and why).
"""

from .extract import ArticleInputs, EventExtractor, Explanation
from .patterns import PatternSet, load_patterns

__all__ = ["ArticleInputs", "EventExtractor", "Explanation", "PatternSet", "load_patterns"]
