"""Ingest end to end through the Coder: counts, idempotency, failures, workers, Parquet, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.errors import InputError
from eventwire.export import export
from eventwire.ingest import ingest
from eventwire.store import open_store

TEXTS = [
    "Rebel fighters attacked an army checkpoint near Hama on Tuesday, killing three soldiers, state media said.",
    "The foreign ministers of Egypt and Jordan met in Amman on Sunday to discuss aid deliveries to Gaza.",
    "Thousands of people protested in Beirut against the collapse of the currency, witnesses said.",
    "Police in Nairobi arrested 40 demonstrators after clashes outside parliament on Thursday.",
    "Iran accused the United States of violating its airspace with a surveillance drone.",
    "The United Nations called for an immediate ceasefire in Sudan as fighting spread to Darfur.",
]


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "more").mkdir(parents=True)
    for i, text in enumerate(TEXTS[:3]):
        (root / f"t{i}.txt").write_text(text)
    lines = [json.dumps({"id": f"j{i}", "text": t, "published": "2024-05-0" + str(i + 1), "outlet": "Wire"})
             for i, t in enumerate(TEXTS[3:])]  # fmt: skip
    (root / "more" / "batch.jsonl").write_text("\n".join(lines) + "\n")
    (root / "more" / "dup.txt").write_text(TEXTS[0])  # the same article again
    (root / "more" / "bad.json").write_text('{"title": "no text here"}')
    return root


def test_ingest_counts_idempotent_and_failures(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    s = ingest([inbox], db, progress=False, published="2024-05-10")
    assert (s.read, s.coded, s.duplicates, s.failed) == (8, 6, 1, 1)
    assert "EW105" in s.failures[0]["reason"] and s.failures[0]["source"].endswith("bad.json")
    with open_store(db) as store:
        counts = store.counts()
        assert counts["articles"] == 6 and counts["failures"] == 1
        assert counts["events"] == s.events
        docs = {d.article.id: d for d in store.iter_documents()}
        assert docs["j0"].article.published == "2024-05-01" and docs["j0"].article.outlet == "Wire"
    again = ingest([inbox], db, progress=False, published="2024-05-10")
    assert (again.coded, again.duplicates, again.events) == (0, 7, 0)
    with open_store(db) as store:
        assert store.counts()["articles"] == 6 and store.counts()["failures"] == 1


def test_two_workers_equal_one(inbox: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    s1 = ingest([inbox], one, progress=False, chunk_size=2)
    s2 = ingest([inbox], two, progress=False, chunk_size=2, workers=2)
    assert (s1.coded, s1.events, s1.failed) == (s2.coded, s2.events, s2.failed)
    export(str(one), "jsonl", tmp_path / "one.jsonl")
    export(str(two), "jsonl", tmp_path / "two.jsonl")
    assert (tmp_path / "one.jsonl").read_text() == (tmp_path / "two.jsonl").read_text()


def test_out_parquet_and_cli(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    s = ingest([inbox], out_parquet=out, progress=False)
    assert s.coded == 6 and s.failed == 1
    arts = pd.concat([pd.read_parquet(p) for p in sorted((out / "articles").glob("*.parquet"))])
    assert len(arts) == 6 and arts.content_hash.is_unique
    db = tmp_path / "cli.db"
    res = CliRunner().invoke(main, ["ingest", str(inbox), "--db", str(db), "--json", "--no-progress"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output.strip().splitlines()[-1])
    assert summary["coded"] == 6 and summary["failed"] == 1 and summary["rate"] > 0
    assert summary["events"] == s.events


def test_ingest_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ingest([tmp_path / "missing"], tmp_path / "x.db", progress=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no readable inputs"):
        ingest([tmp_path / "empty"], tmp_path / "x.db", progress=False)
    res = CliRunner().invoke(main, ["ingest", str(tmp_path / "missing")])
    assert res.exit_code == 1 and "[EW101]" in res.output and "Traceback" not in res.output


def test_json_article_codes_the_same_through_code_and_ingest(tmp_path: Path) -> None:
    """Issue 9: one way into stage 1 -- `eventwire code` and `eventwire ingest` store the same document."""
    obj = {"id": "same-1", "title": "Clashes in Nairobi", "published": "Tue, 02 Jul 2024 10:00:00 GMT",
           "outlet": "Daily Nation", "url": "https://example.org/a1",
           "text": TEXTS[3] + " " + TEXTS[0]}
    src = tmp_path / "article.json"
    src.write_text(json.dumps(obj))
    runner = CliRunner()
    coded = runner.invoke(main, ["code", str(src), "--outlet", "Flag outlet", "--published", "2020-01-01"])
    assert coded.exit_code == 0, coded.output
    direct = json.loads(coded.output)
    db = tmp_path / "e.db"
    result = runner.invoke(main, ["ingest", str(src), "--db", str(db), "--outlet", "Flag outlet",
                                  "--published", "2020-01-01"])
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        stored = [d.to_dict() for d in store.iter_documents()]
    assert len(stored) == 1
    assert direct["article"] == stored[0]["article"]
    assert direct["article"]["published"] == "2024-07-02" and direct["article"]["outlet"] == "Daily Nation"
    assert direct["text"] == stored[0]["text"]
    assert len(direct["events"]) == len(stored[0]["events"]) >= 2
    for mine, theirs in zip(direct["events"], stored[0]["events"], strict=True):
        for key in mine:
            assert mine[key] == theirs.get(key), key


def test_an_article_spacy_cannot_parse_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9: one article that makes spaCy raise fails alone; the rest of its batch is coded."""
    from eventwire.clean import load_article
    from eventwire.pipeline import Coder, Failure

    coder = Coder()
    real_pipe = coder.nlp.pipe

    def pipe(texts, **kw):  # noqa: ANN001, ANN003, ANN202 - a stand-in that fails on one text
        texts = list(texts)
        if any("POISON" in t for t in texts):
            raise ValueError("cannot parse this")
        return real_pipe(texts, **kw)

    monkeypatch.setattr(coder.nlp, "pipe", pipe)
    articles = [load_article(t) for t in TEXTS[:2]] + [load_article("POISON pill text.")] + [load_article(TEXTS[2])]
    results = list(coder.code_many(articles))
    assert [isinstance(r, Failure) for r in results] == [False, False, True, False]
    assert results[2].reason.startswith("[EW202]") and "\n" not in results[2].reason
    assert all(r.events for r in results if not isinstance(r, Failure))


def test_a_corrected_republication_through_ingest(tmp_path: Path) -> None:
    """Issue 12: the same URL with one changed number replaces the earlier version (coded documents: no spaCy)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from _ew_docs import make_doc, make_event

    def doc(n: int):  # noqa: ANN202
        d = make_doc("live-1", [make_event(f"Turkish forces shelled Kurdish fighters near Aleppo, killing {n}.",
                                           killed=n)])  # fmt: skip
        return d.model_copy(update={"article": d.article.model_copy(update={"url": "https://example.org/live"})})

    (tmp_path / "v1.jsonl").write_text(json.dumps(doc(5).to_dict()) + "\n")
    (tmp_path / "v2.jsonl").write_text(json.dumps(doc(7).to_dict()) + "\n")
    db = str(tmp_path / "v.db")
    assert ingest([tmp_path / "v1.jsonl"], db, progress=False).stories == 1
    res = CliRunner().invoke(main, ["ingest", str(tmp_path / "v2.jsonl"), "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert (summary["imported"], summary["superseded"], summary["stories"]) == (1, 1, 1)
    res = CliRunner().invoke(main, ["query", "--db", db, "--stories", "--csv"])
    frame = pd.read_csv(__import__("io").StringIO(res.stdout))
    assert frame.n_articles.tolist() == [1] and frame.fatalities.tolist() == [7]
    assert ingest([tmp_path / "v2.jsonl"], db, progress=False).duplicates == 1
