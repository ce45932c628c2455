"""The HTTP API of ``eventwire serve`` on a constructed database whose answers are known (issue 13)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from _ew_docs import fresh_pg_url, pg_reason
from _ew_web import ARTICLES, HOSTILE, build_db
from eventwire.web import create_app, resolve_token

ROOT = Path(__file__).resolve().parents[1]
WEB_SRC = ROOT / "src" / "eventwire" / "web"


@pytest.fixture(scope="module")
def db_file(tmp_path_factory, coder) -> Path:
    return build_db(tmp_path_factory.mktemp("web") / "known.db", coder)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def known_db(request, db_file, coder) -> str | Path:
    """The known database in SQLite and (marked postgres) built again in the test PostgreSQL server."""
    if request.param == "sqlite":
        return db_file
    reason = pg_reason()
    if reason:
        pytest.skip(reason)
    return build_db(fresh_pg_url(), coder)


@pytest.fixture(scope="module")
def client(known_db) -> TestClient:
    """A client over the known database, read only (writes go through ``fresh``, on a private SQLite copy)."""
    with TestClient(create_app(known_db, token="secret"), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh(db_file, tmp_path, coder):
    """A client over a private copy of the database (for writes), sharing the session's Coder."""

    def make(**kwargs):
        path = tmp_path / "copy.db"
        shutil.copy(db_file, path)
        app = create_app(path, coder=coder, **kwargs)
        return TestClient(app, raise_server_exceptions=False)

    return make


def _error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["code"] == code and body["error"].startswith(f"[{code}] "), body
    assert "Traceback" not in r.text and "File \"" not in r.text
    return body


def _ids(client, query: str = "") -> list[int]:
    r = client.get("/api/events?limit=1000&" + query)
    assert r.status_code == 200, r.text
    return [e["id"] for e in r.json()["events"]]


# -- reading -------------------------------------------------------------------------------------
def test_health_counts_the_known_database(client) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["counts"]["articles"] == len(ARTICLES) == 8
    assert body["counts"]["events"] == 8


def test_events_filters_have_the_known_answers(client) -> None:
    page = client.get("/api/events").json()
    assert page["total"] == 8 and len(page["events"]) == 8 and page["next_cursor"] is None
    by_article = {e["article_id"]: e for e in page["events"]}
    assert by_article["a1"]["event_type"] == "ASSAULT" and by_article["a1"]["outlet"] == "Wire One"
    assert len(_ids(client, "event_type=ASSAULT")) == 4
    assert len(_ids(client, "event_type=ASSAULT&event_type=PROTEST")) == 5
    assert len(_ids(client, "country=LBN")) == 1
    assert len(_ids(client, "actor=RUS")) == 2
    assert len(_ids(client, "source=RUS&target=SYR")) == 2
    assert len(_ids(client, "since=2024-04-01")) == 2
    assert len(_ids(client, "since=2024-03-10&until=2024-03-16")) == 3  # a3, a3b, a4
    assert len(_ids(client, "text=hospital")) == 2
    assert len(_ids(client, "outlet=Wire Two")) == 3  # a3b, a4, a5
    assert _ids(client, "near=33.89,35.50,20") == [by_article["a6"]["id"]]  # Beirut


def test_every_filter_is_a_query_parameter_of_events(client) -> None:
    from dataclasses import fields

    from eventwire.query import Filters

    spec = client.get("/api/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    wanted = {f.name for f in fields(Filters)} - {"limit"}
    assert wanted <= params, wanted - params
    assert {"limit", "cursor", "format"} <= params


def test_cursor_paging_visits_every_event_once(client) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        r = client.get("/api/events", params={"limit": 3, **({"cursor": cursor} if cursor else {})})
        body = r.json()
        assert body["total"] == 8
        seen += [e["id"] for e in body["events"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 8 and len(set(seen)) == 8 and seen == sorted(seen)


def test_events_as_csv_by_accept_or_format(client) -> None:
    for r in (client.get("/api/events?limit=5", headers={"Accept": "text/csv"}),
              client.get("/api/events?limit=5&format=csv")):  # fmt: skip
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        lines = r.text.strip().splitlines()
        assert lines[0].startswith("id,") and len(lines) == 6
        assert r.headers["x-total-count"] == "8" and r.headers["x-next-cursor"]


def test_event_detail_has_the_sentence_spans_rule_and_story(client) -> None:
    events = {e["article_id"]: e for e in client.get("/api/events").json()["events"]}
    e = client.get(f"/api/events/{events['a1']['id']}").json()
    sentence = e["sentence"]["text"]
    assert sentence == ARTICLES[0]["text"]
    spans = {s["role"]: s for s in e["sentence"]["spans"]}
    assert spans["trigger"]["text"] == "shelled" == sentence[spans["trigger"]["start"]: spans["trigger"]["end"]]
    assert "Turkish" in sentence[spans["source"]["start"]: spans["source"]["end"]]
    assert e["rule"] and e["document"]["rule"] == e["rule"]
    assert e["document"]["date"]["value"] == "2024-03-04"
    # the bombing reported by two outlets is one story; each mention lists the other
    bomb = client.get(f"/api/events/{events['a3']['id']}").json()
    assert bomb["story"] is not None and bomb["story"]["n_mentions"] == 2
    assert [(m["article_id"], m["outlet"]) for m in bomb["story"]["mentions"]] == [("a3b", "Wire Two")]


def test_stories_merge_the_same_bombing(client) -> None:
    body = client.get("/api/stories").json()
    assert body["total"] == 7
    assert max(s["n_mentions"] for s in body["stories"]) == 2
    assert client.get("/api/stories?event_type=ASSAULT").json()["total"] == 3
    first = client.get("/api/stories?limit=2").json()
    assert len(first["stories"]) == 2 and first["next_cursor"] == "2"
    rest = client.get("/api/stories?limit=10&cursor=2").json()
    assert len(rest["stories"]) == 5 and rest["next_cursor"] is None


def test_article_detail_is_the_cleaned_text_with_every_span(client) -> None:
    a = client.get("/api/articles/xss").json()
    assert a["text"] == HOSTILE and a["title"] == "<img src=x onerror=alert(4)>"
    assert len(a["events"]) == 1
    for span in a["events"][0]["spans"]:
        assert a["text"][span["start"]: span["end"]] == span["text"]
    _error(client.get("/api/articles/no-such-article"), 404, "EW501")


def test_aggregate_is_the_library_aggregate(client) -> None:
    week = client.get("/api/aggregate?by=week&group=event_type").json()
    assert week["columns"] == ["period", "event_type", "count"]
    assert sum(r["count"] for r in week["rows"]) == 8
    assert {"period": "2024-03-04", "event_type": "REJECT", "count": 1} in week["rows"]  # Monday of that ISO week
    month = client.get("/api/aggregate?by=month&group=none").json()
    assert [(r["period"], r["count"]) for r in month["rows"]] == [("2024-03-01", 6), ("2024-04-01", 2)]
    csv_text = client.get("/api/aggregate?by=month&group=none&format=csv").text
    assert csv_text.splitlines() == ["period,count", "2024-03-01,6", "2024-04-01,2"]
    _error(client.get("/api/aggregate?by=fortnight"), 422, "EW503")
    _error(client.get("/api/aggregate?measure=nonsense"), 400, "EW101")


@pytest.mark.parametrize("query", ["", "event_type=ASSAULT", "since=2024-03-10&until=2024-03-16", "outlet=Wire Two",
                                   "source=RUS&target=SYR", "modality=any&include_background=true", "text=hospital",
                                   "near=35.9,36.6,60"])
def test_filtered_aggregates_equal_the_library_aggregate(client, known_db, query) -> None:
    """The server sums its events prepared once per data generation; the answer is the library's."""
    from urllib.parse import parse_qsl

    from eventwire.aggregate import aggregate
    from eventwire.query import Filters

    filters = Filters.make(**dict(parse_qsl(query)))
    for by, group, measure in [("week", "event_type", "count"), ("month", "source,target", "goldstein"),
                               ("day", "country", "stories"), ("year", "none", "fatalities")]:
        got = client.get(f"/api/aggregate?by={by}&group={group}&measure={measure}&{query}").json()
        frame = aggregate(known_db, by=by, group=None if group == "none" else group, measure=measure, filters=filters)
        want = json.loads(frame.reset_index().assign(period=lambda f: f["period"].dt.strftime("%Y-%m-%d"))
                          .to_json(orient="records"))
        assert got["rows"] == want, (query, by, group, measure)
        assert got["left_out"] == frame.attrs["left_out"]


def test_an_ingest_by_another_process_is_seen(fresh, coder) -> None:
    """Prepared events and answers are kept per data generation: new data are answered within a second."""
    import time

    from eventwire.clean import load_article
    from eventwire.store import open_store

    c = fresh()
    before = sum(r["count"] for r in c.get("/api/aggregate?by=month&group=none").json()["rows"])
    path = c.app.state.store.engine.url.database
    doc = coder.code(load_article({"id": "late", "published": "2024-04-09",
                                   "text": "Gunmen attacked a police station in Daraa on Tuesday."}))
    with open_store(path) as other:
        other.write_batch([(doc, {"source": "test", "kind": "json"})])
    time.sleep(1.1)
    after = sum(r["count"] for r in c.get("/api/aggregate?by=month&group=none").json()["rows"])
    assert after == before + len(doc.events) > before


def test_timeline_and_dyads(client) -> None:
    tl = client.get("/api/timeline?by=week").json()
    assert [b["start"] for b in tl["buckets"]] == ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25",
                                                   "2024-04-01"]
    assert [b["n"] for b in tl["buckets"]] == [2, 3, 1, 0, 2]
    assert tl["buckets"][3]["goldstein_mean"] is None and tl["buckets"][1]["types"] == {"ASSAULT": 2, "PROTEST": 1}
    assert tl["buckets"][0]["end"] == "2024-03-10"
    assert client.get("/api/timeline").json()["by"] == "day"  # five weeks of data: per day
    narrowed = client.get("/api/timeline?by=week&event_type=ASSAULT").json()
    assert sum(b["n"] for b in narrowed["buckets"]) == 4
    dyads = client.get("/api/dyads").json()["dyads"]
    top = dyads[0]
    assert (top["source"], top["target"], top["n"]) == ("RUS", "SYR", 2)
    assert top["goldstein_mean"] < 0


def test_points_are_the_located_events(client) -> None:
    pts = client.get("/api/points").json()
    assert pts["n"] == 8 and not pts["truncated"]  # a2 names no place: it is set in the country its article names
    assert len(pts["lat"]) == len(pts["lon"]) == len(pts["type"]) == 8
    assert client.get("/api/points?country=SYR").json()["n"] == 5


def test_facets(client) -> None:
    f = client.get("/api/facets").json()
    assert f["event_type"][0] == {"value": "ASSAULT", "n": 4}
    assert f["date_min"] == "2024-03-04" and f["date_max"] == "2024-04-07"


# -- errors --------------------------------------------------------------------------------------
def test_errors_are_json_with_codes_and_no_traceback(client, fresh) -> None:
    _error(client.get("/api/events?since=not-a-date"), 400, "EW101")
    _error(client.get("/api/events?limit=5000"), 422, "EW503")
    _error(client.get("/api/events?limit=0"), 422, "EW503")
    _error(client.get("/api/events?cursor=abc"), 422, "EW503")
    _error(client.get("/api/events/0"), 422, "EW503")
    _error(client.get("/api/events/99999"), 404, "EW501")
    _error(client.get("/api/nothing-here"), 404, "EW501")
    _error(client.delete("/api/events"), 405, "EW503")
    _error(client.get("/api/events?min_confidence=2"), 400, "EW101")
    unknown = _error(client.get("/api/events?type=ASSAULT&limit=5"), 422, "EW503")  # the filter is event_type
    assert "unknown parameter(s) type" in unknown["message"] and "event_type" in unknown["message"]
    _error(client.get("/api/aggregate?by=week&groupp=country"), 422, "EW503")


def test_an_unexpected_failure_is_a_json_500_without_details(fresh, monkeypatch) -> None:
    from eventwire.web import data

    def boom(*_a, **_k):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(data, "facets", boom)
    r = fresh().get("/api/facets")
    body = _error(r, 500, "EW500")
    assert "secret" not in r.text and "RuntimeError" in body["message"]


# -- writing -------------------------------------------------------------------------------------
def test_ingest_needs_the_bearer_token(fresh) -> None:
    c = fresh(token="secret")
    article = {"id": "new1", "published": "2024-05-02", "text": "Israeli aircraft struck a convoy near Homs on Thursday."}
    r = c.post("/api/ingest", json=article)
    _error(r, 401, "EW502")
    assert r.headers["www-authenticate"] == "Bearer"
    _error(c.post("/api/ingest", json=article, headers={"Authorization": "Bearer wrong"}), 401, "EW502")
    _error(c.post("/api/ingest", json=article, headers={"Authorization": "secret"}), 401, "EW502")
    ok = c.post("/api/ingest", json={"articles": [article]}, headers={"Authorization": "Bearer secret"})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["stored"] == 1 and body["events"] >= 1 and body["failed"] == 0 and body["stories"] >= 8
    assert c.get("/api/health").json()["counts"]["articles"] == 9
    assert c.get("/api/events?since=2024-05-01").json()["total"] == body["events"]  # the answer cache was emptied
    again = c.post("/api/ingest", json=[article], headers={"Authorization": "Bearer secret"}).json()
    assert again["stored"] == 0 and again["duplicates"] == 1


def test_ingest_is_off_without_a_token_and_reports_bad_articles(fresh) -> None:
    _error(fresh(token=None).post("/api/ingest", json={"text": "x"}, headers={"Authorization": "Bearer "}), 401,
           "EW502")
    c = fresh(token="t")
    lines = "\n".join(json.dumps(a) for a in ({"id": "e1", "text": "   "}, ARTICLES[0]))
    body = c.post("/api/ingest", content=lines, headers={"Authorization": "Bearer t",
                                                          "Content-Type": "application/x-ndjson"}).json()
    assert body["failed"] == 1 and body["duplicates"] == 1 and body["stored"] == 0
    _error(c.post("/api/ingest", content=b"{nope", headers={"Authorization": "Bearer t",
                                                             "Content-Type": "application/json"}), 422, "EW503")


def test_code_returns_the_coded_document_and_stores_nothing(fresh) -> None:
    c = fresh()
    r = c.post("/api/code", json={"text": "Iran denied any involvement.", "published": "2023-11-22"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [e["event_type"] for e in doc["events"]] == ["REJECT"] and doc["article"]["published"] == "2023-11-22"
    plain = c.post("/api/code?published=2023-11-22", content="Iran denied any involvement.",
                   headers={"Content-Type": "text/plain"})
    assert [e["event_type"] for e in plain.json()["events"]] == ["REJECT"]
    assert c.get("/api/health").json()["counts"]["articles"] == 8
    _error(c.post("/api/code", content=b"", headers={"Content-Type": "text/plain"}), 422, "EW503")
    _error(c.post("/api/code", json=[{"text": "a"}, {"text": "b"}]), 422, "EW503")


def test_bodies_are_bounded(fresh) -> None:
    c = fresh(token="t", max_body=1000)
    _error(c.post("/api/code", content=b"x" * 1001, headers={"Content-Type": "text/plain"}), 413, "EW106")
    _error(c.post("/api/ingest", content=b"x" * 5000, headers={"Authorization": "Bearer t"}), 413, "EW106")

    def chunks():  # no Content-Length: counted while reading
        for _ in range(20):
            yield b"y" * 100

    _error(c.post("/api/code", content=chunks(), headers={"Content-Type": "text/plain"}), 413, "EW106")


# -- safety --------------------------------------------------------------------------------------
def test_cors_is_closed_by_default_and_opens_to_named_origins(client, fresh) -> None:
    r = client.get("/api/events", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/api/events", headers={"Origin": "http://evil.example",
                                                 "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers
    opened = fresh(cors_origins=["http://localhost:3000"])
    r = opened.get("/api/events", headers={"Origin": "http://localhost:3000"})
    assert r.headers["access-control-allow-origin"] == "http://localhost:3000"
    r = opened.get("/api/events", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_pages_carry_a_content_security_policy(client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "<div id=\"map\"" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_docs_work_offline(client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/stories", "/api/aggregate", "/api/articles/{article_id}",
            "/api/health", "/api/code", "/api/ingest"} <= set(spec["paths"])
    page = client.get("/api/docs").text
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the docs page must not load from a CDN"
    for ref in re.findall(r"(?:src|href)=\"(/[^\"]+)\"", page):
        assert client.get(ref).status_code == 200, f"{ref} is missing: run make setup"


def test_the_dashboard_loads_only_local_assets_pinned_by_package_lock(client) -> None:
    page = client.get("/").text
    refs = re.findall(r"(?:src|href)=\"(/[^\"]+)\"", page)
    assert refs and not re.search(r"(src|href)=\"(https?:)?//", page)
    for ref in refs:
        assert client.get(ref).status_code == 200, f"{ref} is missing: run make setup"
    assert client.get("/vendor/world-atlas/countries-50m.json").status_code == 200
    pinned = json.loads((ROOT / "web" / "package.json").read_text())["dependencies"]
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text())["packages"]
    installed = json.loads((WEB_SRC / "vendor" / "versions.json").read_text())
    for name, version in pinned.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned to one version"
        entry = lock[f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-")
        assert installed[name] == version, f"vendor/{name} is {installed[name]}, package.json pins {version}"


def test_no_sql_is_assembled_from_strings() -> None:
    for path in sorted(WEB_SRC.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\btext\(|exec_driver_sql|\.execute\(\s*f?[\"']", source), path
        assert not re.search(r"(?i)[\"'f]\s*(select|insert|update|delete)\s+[\w*]", source), path


def test_defaults_bind_locally_and_the_token_is_given_or_generated(monkeypatch) -> None:
    from eventwire.cli.serve import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
    monkeypatch.delenv("EVENTWIRE_TOKEN", raising=False)
    assert resolve_token("mine") == ("mine", False)
    token, generated = resolve_token(None)
    assert generated and len(token) >= 24
    monkeypatch.setenv("EVENTWIRE_TOKEN", "from-env")
    assert resolve_token(None) == ("from-env", False)


def test_serve_reports_a_missing_database_as_one_line(tmp_path) -> None:
    from click.testing import CliRunner

    from eventwire.cli import main

    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db"), "--token", "x"])
    assert r.exit_code == 1 and "[EW301]" in r.output and "Traceback" not in r.output


def test_serve_with_two_worker_processes_answers_from_both(db_file) -> None:
    """``eventwire serve --workers 2``: uvicorn's worker processes each build the app from the options."""
    import http.client
    import subprocess
    import sys
    import time

    from _ew_web import free_port

    port = free_port()
    cmd = [sys.executable, "-c", "from eventwire.cli import main; main()", "serve", "--db", str(db_file),
           "--port", str(port), "--token", "t", "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, totals = time.monotonic() + 90, []
        while time.monotonic() < deadline and len(totals) < 6:
            assert proc.poll() is None, proc.stderr.read().decode()[-500:]
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)  # a new connection each time
                conn.request("GET", "/api/events?limit=1")
                resp = conn.getresponse()
                totals.append((resp.status, json.loads(resp.read())["total"]))
                conn.close()
            except OSError:
                time.sleep(0.3)
        assert totals == [(200, 8)] * 6
    finally:
        proc.terminate()
        proc.wait(timeout=20)
