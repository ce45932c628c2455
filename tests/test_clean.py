"""Stage 1: decoding, kind detection, boilerplate removal and normalisation."""

from __future__ import annotations

import gzip
import json

import pytest

from eventwire.clean import article_id, clean_text, decode_bytes, load_article
from eventwire.errors import BinaryInput, EmptyInput, InvalidJSON, TooLarge
from eventwire.settings import Settings


def test_clickbait_markers_and_share_prompts_are_removed():
    text = (
        "Rebels seized the town of Kidal on Sunday. READ MORE>>>\n"
        "Share this article\nAdvertisement\n"
        "The army said it would respond. CONTINUE FULL READING>>>>>"
    )
    out = clean_text(text)
    assert "READ MORE" not in out and "CONTINUE" not in out and "Advertisement" not in out
    assert "Share this" not in out
    assert out.startswith("Rebels seized the town of Kidal on Sunday.")
    assert out.endswith("The army said it would respond.")


def test_bylines_and_photo_credits_dropped_but_sentences_starting_with_by_kept():
    text = "By Maria Lopez\nPhoto: Reuters/John Doe\nBy Sunday the curfew had been lifted in Lima."
    out = clean_text(text)
    assert "Maria Lopez" not in out and "Photo" not in out
    assert out == "By Sunday the curfew had been lifted in Lima."


def test_unicode_quotes_dashes_and_spaces_normalised():
    out = clean_text("The minister\u2019s \u201cred line\u201d\u00a0\u2014 he said\u200b.")
    assert out == "The minister's \"red line\" - he said."


def test_non_utf8_text_is_detected_and_decoded():
    raw = "Le ministre a dénoncé l'attaque à Bamako près de la frontière.".encode("latin-1")
    assert "dénoncé" in decode_bytes(raw)


def test_binary_input_is_refused():
    with pytest.raises(BinaryInput):
        decode_bytes(gzip.compress(b"hello world" * 100))


def test_empty_and_whitespace_input_refused():
    for data in (b"", b"   \n\t  "):
        with pytest.raises(EmptyInput):
            load_article(data)


def test_limits_are_configurable():
    with pytest.raises(TooLarge):
        load_article(b"word " * 1000, settings=Settings(max_bytes=100))
    with pytest.raises(TooLarge):
        load_article("word " * 1000, settings=Settings(max_chars=100))


def test_json_article_with_metadata():
    obj = {"id": "a1", "title": "Clashes", "text": "Police clashed with protesters in Nairobi.", "published": "2024-07-02T10:00:00Z",
           "outlet": "Daily Nation", "url": "https://example.org/a1"}
    art = load_article(json.dumps(obj).encode())
    assert (art.id, art.published, art.outlet, art.kind) == ("a1", "2024-07-02", "Daily Nation", "json")


def test_invalid_json_and_json_without_text_when_json_is_declared():
    with pytest.raises(InvalidJSON):
        load_article(b'{"text": "unterminated', kind="json")
    with pytest.raises(InvalidJSON):
        load_article(b'{"title": "no body"}', kind="json")
    with pytest.raises(InvalidJSON):
        load_article(b"[1, 2]", kind="json")


@pytest.mark.parametrize("text", ['{"text": "unterminated quote and more', "{Braces} open this note on the talks.",
                                  "[Updated] Rebels shelled the town on Monday.", '{"title": "no body"}'])
def test_plain_text_that_begins_with_a_bracket_is_text(text):
    """Issue 9: in auto mode only a parseable article object is JSON; any other text is text."""
    art = load_article(text.encode())
    assert art.kind == "text"
    assert art.text.startswith(text[:5])


def test_metadata_precedence_article_then_source_then_flags():
    """Issue 9: the article's own metadata wins, then the source's, then the caller's flags fill the rest."""
    obj = {"text": "Police clashed with protesters in Nairobi.", "title": "Own title", "published": "2024-07-02"}
    art = load_article(obj, source_meta={"title": "Feed title", "outlet": "Feed outlet", "url": None},
                       title="Flag title", outlet="Flag outlet", url="https://flag.example/a", published="2020-01-01")
    assert (art.title, art.published, art.outlet, art.url) == ("Own title", "2024-07-02", "Feed outlet",
                                                               "https://flag.example/a")
    plain = load_article("Police clashed with protesters in Nairobi.", published="2020-01-01T08:00:00Z")
    assert plain.published == "2020-01-01"


@pytest.mark.parametrize(("given", "iso"), [("2024-07-02T10:00:00Z", "2024-07-02"),
                                            ("Tue, 02 Jul 2024 10:00:00 GMT", "2024-07-02"),
                                            ("2 July 2024", "2024-07-02"), ("July 2", None), ("yesterday", None),
                                            ("9999-12-31", None), ("2024-13-01", None), (12, None)])
def test_published_is_always_an_iso_date_or_none(given, iso):
    art = load_article({"text": "Police clashed with protesters in Nairobi.", "published": given})
    assert art.published == iso


def test_html_main_text_extracted_without_comments():
    html = (
        "<html><head><title>Strike in Sanaa</title></head><body><nav>Home | World</nav><article>"
        "<h1>Strike in Sanaa</h1><p>Saudi-led coalition jets struck a fuel depot in Sanaa on Tuesday, "
        "residents said, the third such raid this month.</p><p>The Houthis vowed to respond.</p></article>"
        "<div id='comments' class='comments'><p>First comment: this is terrible and long enough to count.</p></div>"
        "</body></html>"
    )
    art = load_article(html.encode())
    assert art.kind == "html"
    assert "fuel depot in Sanaa" in art.text
    assert "First comment" not in art.text


def test_broken_html_gives_clear_error_or_text():
    with pytest.raises(EmptyInput):
        load_article(b"<html><body><div><p></div></b></html>")


def test_article_id_is_stable():
    assert article_id("abc") == article_id("abc") != article_id("abd")
