"""Shared fixtures: one Coder (spaCy model, dictionaries, gazetteer) per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def coder():
    from eventwire.pipeline import Coder

    return Coder()


@pytest.fixture(scope="session")
def code(coder):
    """code(text, published=...) -> CodedArticle, with the session's Coder."""
    from eventwire.clean import load_article

    def _code(text: str, published: str | None = "2024-03-15"):
        return coder.code(load_article(text, published=published))

    return _code
