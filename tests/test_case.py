"""Case-damaged text (issue 11.4): lines all in capitals or all in lower case get their usual
capitals before parsing, offsets stay the original's, and the events come out as from normal case."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from eventwire.errors import SettingsError
from eventwire.settings import Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"  # ../shared beside the repository

TEXTS = Path(os.environ.get("EVENTWIRE_SHARED", SHARED)) / "eval"
ANNOTATIONS = Path(__file__).resolve().parents[1] / "eval" / "news" / "annotations.jsonl"


@pytest.fixture(scope="module")
def restorer(coder):
    return coder.case


def _same_letters(a: str, b: str) -> bool:
    """Equal length and, character by character, the same letter up to case."""
    return len(a) == len(b) and all(x == y or x.lower() == y.lower() for x, y in zip(a, b, strict=True))


def test_capitals_restored_names_and_sentence_starts(restorer):
    text = "GOVERNMENT TROOPS SHELLED ALEPPO ON TUESDAY. THE UNITED NATIONS CONDEMNED THE ATTACK."
    out = restorer.restore(text)
    assert out.report is not None and out.report.lines == {"upper": 1}
    assert _same_letters(out.text, text)
    assert out.text.startswith("Government troops shelled Aleppo on Tuesday. The United Nations condemned")
    assert "the attack." in out.text


def test_lower_case_restored_people_titles_acronyms(restorer):
    text = "president emmanuel macron met nato officials in kyiv. i think russia will answer, he said."
    out = restorer.restore(text)
    assert out.report is not None and out.report.lines == {"lower": 1}
    assert _same_letters(out.text, text)
    for name in ("President Emmanuel Macron", "NATO", "Kyiv", "Russia", " I think"):
        assert name in out.text, name
    assert "officials" in out.text and "answer" in out.text  # ordinary words stay in lower case


def test_normal_text_is_not_touched(restorer):
    text = "Police in Lagos arrested 12 protesters on Monday.\nThe governor said nothing."
    assert restorer.damaged(text) == []
    out = restorer.restore(text)
    assert out.report is None and out.text is text


def test_only_the_damaged_line_of_a_normal_article(restorer):
    text = "REBELS SEIZE TOWN IN NORTHERN MALI\nRebels seized a town in northern Mali, officials said."
    out = restorer.restore(text)
    head, body = out.text.split("\n")
    assert head == "Rebels seize town in northern Mali"
    assert body == text.split("\n")[1]


def test_dateline_place_gets_its_case_and_unknown_acronyms_keep_theirs(restorer):
    text = "MOSCOW, March 3 (Reuters) - The Kremlin said on Friday."
    out = restorer.restore(text)
    assert out.text.startswith("Moscow, March 3")
    assert out.report is not None and out.report.lines == {"dateline": 1}
    assert restorer.restore("ZXQW said on Friday that talks failed.").report is None  # no dateline mark


def test_bracketed_acronym_in_capitals_is_kept(restorer):
    out = restorer.restore("GUERRILLAS OF THE QWERTY FRONT (QWF) ATTACKED A POLICE POST.")
    assert "(QWF)" in out.text


def test_length_preserved_when_a_letter_has_no_one_letter_case(restorer):
    text = "DIE STRASSE IN İZMIR WAR GESPERRT, SAGTE DIE POLIZEI"
    out = restorer.restore(text)
    assert len(out.text) == len(text)
    assert "İ" in out.text  # its lower case is two characters: left as it is


def test_modes_off_and_always(restorer):
    assert restorer.restore("POLICE FIRED TEAR GAS AT PROTESTERS", mode="off").report is None
    short = "in cairo"  # too few letters for auto
    assert restorer.restore(short).report is None
    assert restorer.restore(short, mode="always").text == "In Cairo"


def test_setting_is_validated():
    assert Settings(case_restore="off").case_restore == "off"
    with pytest.raises(SettingsError):
        Settings.load(env={}, case_restore="sometimes")


def _key(ev):
    def countries(actors):
        return tuple(sorted({a.country for a in actors if a.country}))

    return ev.event_type, countries(ev.source), countries(ev.target)


def test_coded_capitals_and_lower_case_like_normal_case(code, coder):
    normal = ("Syrian government forces shelled the town of Idlib on Tuesday, killing four civilians. "
              "Turkey condemned the attack and the United Nations called for a ceasefire.")
    base = Counter(_key(e) for e in code(normal).events)
    assert base, "the normal-case text must give events for this test to mean anything"
    for damaged in (normal.upper(), normal.lower()):
        doc = code(damaged)
        assert doc.text == damaged  # the coded article keeps the user's text
        for ev in doc.events:  # every span points into (and quotes) the original text
            assert damaged[ev.trigger.start:ev.trigger.end] == ev.trigger.text
            assert damaged[ev.sentence.start:ev.sentence.end].strip() == ev.sentence.text
            for actor in ev.source + ev.target:
                if actor.start is not None and actor.end is not None:
                    assert damaged[actor.start:actor.end] == actor.text
        got = Counter(_key(e) for e in doc.events)
        assert sum((base & got).values()) >= 0.9 * sum(base.values()), (damaged[:40], base, got)
        assert any("case restored" in note for note in coder.last_explanation.notes)
    code(normal)
    assert not coder.last_explanation.notes  # normal text: no restoration, no note


def _train_articles(n: int) -> list[tuple[str, str | None]]:
    anns = [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    # train split only; MUC-4 texts are in capitals already, the others are in normal case
    anns = [a for a in anns if a["split"] == "train" and a["file"] != "muc4.jsonl"][:n]
    files: dict[str, dict[str, str]] = {}
    out = []
    for a in anns:
        if a["file"] not in files:
            with (TEXTS / a["file"]).open(encoding="utf-8") as fh:
                files[a["file"]] = {str(r["id"]): r["text"] for r in map(json.loads, filter(str.strip, fh))}
        out.append((files[a["file"]][a["id"]], a.get("published")))
    return out


@pytest.mark.skipif(not (TEXTS / "geoparse.jsonl").exists(), reason="the shared eval texts are not there")
def test_news_articles_in_capitals_and_lower_case_keep_90_percent_of_events(code):
    """Our own annotated news (train split, 24 articles): lower-cased and upper-cased copies yield at
    least 90% of the events (type, source countries, target countries) of the original."""
    articles = _train_articles(24)
    assert len(articles) >= 20
    total = 0
    kept = {"lower": 0, "upper": 0}
    for raw, published in articles:
        base = Counter(_key(e) for e in code(raw, published=published).events)
        total += sum(base.values())
        for name, damaged in (("lower", raw.lower()), ("upper", raw.upper())):
            got = Counter(_key(e) for e in code(damaged, published=published).events)
            kept[name] += sum((base & got).values())
    assert total >= 50
    for name, n in kept.items():
        assert n / total >= 0.90, f"{name}: {n}/{total} = {n / total:.3f} of the original's events"


def test_hard_wrapped_continuation_line_is_not_damaged(restorer):
    text = ("The Interior Ministry said the protesters had blocked the road and\n"
            "were later dispersed by police near the central station of the city.\n")
    assert restorer.damaged(text) == []


def test_wrapped_capitals_do_not_start_a_sentence_at_each_line(restorer):
    text = ("THE GUERRILLAS ATTACKED THE GARRISON OF THE TOWN LATE ON SUNDAY AND THE\n"
            "SOLDIERS FLED TO THE HILLS.\nPROTESTS FOLLOWED.")
    out = restorer.restore(text)
    assert "\nsoldiers fled" in out.text  # the wrapped line continues the sentence
    assert out.text.endswith("\nProtests followed.")


def test_us_before_an_agent_noun_but_not_the_pronoun(restorer):
    out = restorer.restore("the drones struck us troops near the border and the militia told us nothing.")
    assert "US troops" in out.text
    assert "told us nothing" in out.text
