"""Issue 14, stage 1: hostile inputs are decoded, bounded or refused with one line, never crash.

Numbered as in the issue: 1 (JSON depth, surrogates, huge integers, hyphen chains), 3 (limits before
spaCy), 6 (one-line errors, one code), 8 (decoding by BOM, BOM-less UTF-16, NUL, invisible-only text).
"""

from __future__ import annotations

import json

import pytest

from eventwire.clean import check_limits, decode_bytes, load_article, parse_json
from eventwire.errors import EmptyInput, EventwireError, InputError, InvalidJSON, TooLarge, coded_message
from eventwire.settings import Settings

TEXT = "Rebels attacked an army post near Hama on Tuesday, officials said."


# -- 8. decoding --------------------------------------------------------------------------------
@pytest.mark.parametrize("codec, bom", [
    ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
])
def test_8_decoding_follows_the_byte_order_mark(codec: str, bom: bytes) -> None:
    assert decode_bytes(bom + TEXT.encode(codec)) == TEXT
    assert load_article(bom + TEXT.encode(codec)).text == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_8_utf16_without_bom_is_detected(codec: str) -> None:
    assert decode_bytes(TEXT.encode(codec)) == TEXT


def test_8_nul_is_stripped_and_invisible_only_text_refused() -> None:
    assert "\x00" not in load_article(TEXT.replace(" ", " \x00")).text
    assert "\x00" not in load_article(("\xef\xbb\xbf" + TEXT).encode("utf-8", "surrogatepass")[3:] + b"").text
    for invisible in ["\u180e\u0085\u2028", "\u2028\u2029\u200b\ufeff", "\x00\x01\x02 \u180e", "... --- !!!"]:
        with pytest.raises(EmptyInput):
            load_article(invisible)
    assert load_article("Rebels\u2028attacked\u0085a post.").text == "Rebels\nattacked\na post."


# -- 1. JSON that used to abort a run -------------------------------------------------------------
@pytest.mark.parametrize("raw", [
    '{"text": "' + TEXT + '", "x": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"text": "' + TEXT + '", "x": ' + "[" * 100 + "]" * 100 + "}",
    '{"text": "' + TEXT + '", "n": ' + "7" * 4301 + "}",
])
def test_1_deep_or_huge_json_is_a_one_line_failure(raw: str) -> None:
    with pytest.raises(InvalidJSON) as info:
        load_article(raw, kind="json")
    assert "\n" not in str(info.value) and len(str(info.value)) <= 300
    with pytest.raises(InvalidJSON):
        parse_json(raw, "x")


def test_1_lone_surrogate_escape_is_replaced_everywhere() -> None:
    raw = json.dumps({"text": TEXT + " \ud800", "title": "T \udfff", "id": "a\ud800b"})
    art = load_article(raw, kind="json", name="bad\udcff.json")
    for value in (art.text, art.title, art.id, art.source):
        value.encode("utf-8")  # no UnicodeEncodeError
    assert art.text.startswith("Rebels attacked")


def test_1_metadata_values_are_bounded() -> None:
    art = load_article({"text": TEXT, "id": "i" * 5000, "title": 12, "outlet": "o" * 5000, "published": 10**400})
    assert len(art.id) <= 200 and art.title == "12" and len(art.outlet) <= 300 and art.published is None


# -- 3. limits checked before spaCy ---------------------------------------------------------------
@pytest.mark.parametrize("text", ["a\n" * 200_000, "a " * 999_999, "Iran attacked Israel. " * 10_000])
def test_3_token_limit_refuses_texts_that_exhaust_memory_or_time(text: str) -> None:
    with pytest.raises(TooLarge, match="max_tokens"):
        load_article(text)


def test_3_overlong_words_are_dropped_and_long_sentences_skipped_with_a_warning() -> None:
    chain = "-".join(["word"] * 55_555)
    art = load_article(TEXT + " " + chain + " " + TEXT)
    assert chain[:50] not in art.text and art.text.count("Rebels") == 2
    assert any("max_token_chars" in w for w in art.extra["warnings"])
    run_on = " ".join(["and then"] * 400)
    art = load_article(f"{TEXT} {run_on}. {TEXT}")
    assert "and then" not in art.text and art.text.count("Rebels") == 2
    assert any("max_sentence_tokens" in w for w in art.extra["warnings"])
    text, warnings = check_limits(TEXT, "x")
    assert text == TEXT and warnings == []
    with pytest.raises(EmptyInput):
        load_article(chain)


def test_3_limits_are_settings() -> None:
    small = Settings(max_tokens=5)
    with pytest.raises(TooLarge, match="max_tokens"):
        load_article(TEXT, settings=small)
    assert load_article(TEXT, settings=Settings(max_token_chars=4)).text == "an army post near Hama on"


# -- 6. one line, one code ------------------------------------------------------------------------
def test_6_messages_have_one_code_and_at_most_300_characters() -> None:
    err = EventwireError("[EW299] internal error while coding (X: y)")
    assert str(err) == "[EW299] internal error while coding (X: y)"
    nested = InputError(f"a.json: cannot read ({InvalidJSON('deep [EW105] thing')})")
    assert str(nested).count("[EW") == 1 and str(nested).startswith("[EW101]")
    long = InputError("line one\nline two " + "x" * 20_000)
    assert "\n" not in str(long) and len(str(long)) <= 300
    assert coded_message("EW101", "bad \udcff name") == "[EW101] bad \ufffd name"
