"""Sources: files and folders, JSON lines, gzip, feeds (RSS/Atom), WARC, metadata precedence, bad input."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from eventwire.clean import RawArticle
from eventwire.errors import InputError
from eventwire.model import CodedArticle
from eventwire.settings import Settings
from eventwire.sources import Meta, SourceFailure, estimate_count, expand_sources, iter_items

HTML = """<!doctype html><html><head><title>Clashes near Idlib</title>
<meta property="og:site_name" content="Levant Monitor"><meta name="date" content="2024-05-02">
</head><body><nav>Home | World</nav><article><h1>Clashes near Idlib</h1>
<p>Government troops and rebel fighters clashed overnight near Idlib, residents said on Thursday.</p>
<p>At least four fighters were killed in the fighting, according to a local monitoring group.</p>
</article><footer>Copyright Levant Monitor</footer></body></html>"""


LOCAL = Settings(fetch_allow_hosts=["127.0.0.1"])  # the test server: a loopback host, allowed by name


def _items(*paths: object, meta: Meta | None = None) -> list:
    return list(iter_items([str(p) for p in paths], meta or Meta(), LOCAL))


def test_folder_recursive_with_every_kind(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("Rebels shelled a village in Hama province on Sunday.")
    (tmp_path / "sub" / "b.html").write_text(HTML)
    (tmp_path / "sub" / "c.json").write_text(json.dumps({"text": "Police detained ten activists in Tunis.", "id": "c1",
                                                         "published": "2024-01-09", "outlet": "Maghreb Daily"}))  # fmt: skip
    lines = [{"text": f"Report number {i}: troops moved toward the border town.", "id": f"L{i}"} for i in range(3)]
    (tmp_path / "sub" / "deeper" / "d.jsonl.gz").write_bytes(gzip.compress("\n".join(map(json.dumps, lines)).encode()))
    (tmp_path / "sub" / "e.txt.gz").write_bytes(gzip.compress(b"Demonstrators marched through Khartoum on Friday."))
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    files = expand_sources([tmp_path])
    assert [Path(f).name for f in files] == ["a.txt", "b.html", "c.json", "d.jsonl.gz", "e.txt.gz"]
    assert estimate_count(files) == 7
    items = _items(tmp_path)
    assert all(isinstance(i, RawArticle) for i in items) and len(items) == 7
    html = items[1]
    assert html.kind == "html" and "clashed overnight near Idlib" in html.text and "Home | World" not in html.text
    assert html.title == "Clashes near Idlib" and html.published == "2024-05-02"
    assert (items[2].id, items[2].outlet, items[2].published) == ("c1", "Maghreb Daily", "2024-01-09")
    assert [i.id for i in items[3:6]] == ["L0", "L1", "L2"] and items[3].source.endswith("d.jsonl.gz:1")


def test_source_metadata_wins_over_flags(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"text": "Talks resumed in Doha.", "published": "2024-02-02"}))
    (tmp_path / "y.txt").write_text("Talks resumed in Cairo.")
    meta = Meta(published="2030-01-01", outlet="Flag Outlet")
    x, y = _items(tmp_path / "x.json", tmp_path / "y.txt", meta=meta)
    assert (x.published, x.outlet) == ("2024-02-02", "Flag Outlet")
    assert (y.published, y.outlet) == ("2030-01-01", "Flag Outlet")


def test_bad_inputs_become_failures(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "lines.jsonl").write_text('{"text": "Fine line about a ceasefire in Gaza."}\n{broken\n{"title": "no text"}\n')
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8bnot really gzip")
    items = _items(tmp_path)
    fails = [i for i in items if isinstance(i, SourceFailure)]
    assert len(fails) == 6 and len(items) == 7
    reasons = " ".join(f.reason for f in fails)
    for code in ("EW101", "EW102", "EW103", "EW105"):
        assert code in reasons
    assert any(f.source.endswith("lines.jsonl:2") for f in fails)
    with pytest.raises(InputError, match="no such file"):
        expand_sources([tmp_path / "nope"])


def test_coded_documents_are_recognised(tmp_path: Path) -> None:
    doc = {"article": {"id": "k1", "published": "2024-01-01"}, "text": "A coded text.", "events": []}
    (tmp_path / "coded.jsonl").write_text(json.dumps(doc) + "\n")
    (item,) = _items(tmp_path / "coded.jsonl")
    assert isinstance(item, CodedArticle) and item.article.id == "k1"


def _rss(items: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Frontier News</title>
<link>https://frontier.example</link><description>d</description>{items}</channel></rss>"""


@pytest.fixture()
def web(tmp_path: Path):  # noqa: ANN201
    """A local HTTP server serving tmp_path/www; yields its base URL."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    root = tmp_path / "www"
    root.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_rss_full_content_and_followed_links(tmp_path: Path, web: str) -> None:
    (tmp_path / "www" / "page.html").write_text(HTML)
    feed = tmp_path / "www" / "feed.rss"
    feed.write_text(_rss(f"""
<item><title>Full</title><link>https://frontier.example/1</link><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Militants attacked a checkpoint in northern Mali, killing two soldiers, the army said.</p>]]></content:encoded></item>
<item><title>Summary only</title><link>{web}/page.html</link><pubDate>Tue, 07 May 2024 10:00:00 GMT</pubDate>
<description>Short teaser.</description></item>"""))
    full, linked = _items(f"{web}/feed.rss")  # the feed by URL
    assert [i.text for i in _items(feed)] == [full.text, linked.text]  # and by file
    assert (full.outlet, full.title, full.published, full.url) == ("Frontier News", "Full", "2024-05-06", "https://frontier.example/1")
    assert "checkpoint in northern Mali" in full.text
    assert "clashed overnight near Idlib" in linked.text and linked.published == "2024-05-07"
    (teaser,) = list(iter_items([str(feed)], Meta(), follow_links=False))[1:]
    assert teaser.text == "Short teaser."


def test_atom_feed_and_unreachable_link(tmp_path: Path, web: str) -> None:
    feed = tmp_path / "feed.atom"
    feed.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:x</id><updated>2024-06-01T00:00:00Z</updated>
<entry><title>One</title><id>urn:1</id><updated>2024-06-01T08:00:00Z</updated><link href="{web}/missing.html"/>
<summary>Officials announced a prisoner exchange between the two sides.</summary></entry>
<entry><title>Two</title><id>urn:2</id><updated>2024-06-02T08:00:00Z</updated><link href="{web}/missing2.html"/></entry>
</feed>""")
    one, two = _items(feed)
    assert one.outlet == "Atom Wire" and one.published == "2024-06-01" and "prisoner exchange" in one.text
    assert isinstance(two, SourceFailure) and "EW102" in two.reason


def test_warc_html_responses_only(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url: str, ctype: str, body: bytes, status: str = "200 OK") -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                            warc_headers_dict={"WARC-Date": "2024-05-03T12:00:00Z"})  # fmt: skip
            writer.write_record(rec)

        response("https://levant.example/idlib", "text/html; charset=utf-8", HTML.encode())
        response("https://levant.example/logo.png", "image/png", b"\x89PNG....")
        response("https://levant.example/gone", "text/html", b"<html>gone</html>", status="404 Not Found")
        plain = HTML.replace('<meta name="date" content="2024-05-02">', "").replace("Levant Monitor", "")
        response("https://other.example/story", "text/html", plain.encode())
        writer.write_record(writer.create_warc_record("https://levant.example/idlib", "request", payload=io.BytesIO(b"GET /")))
    items = _items(path)
    assert len(items) == 2 and all(isinstance(i, RawArticle) for i in items)
    assert items[0].url == "https://levant.example/idlib" and items[0].published == "2024-05-02"
    assert items[1].outlet == "other.example" and items[1].published == "2024-05-03"
    (tmp_path / "junk.warc").write_bytes(b"this is not a warc file\n" * 20)
    (bad,) = _items(tmp_path / "junk.warc")
    assert isinstance(bad, SourceFailure) and "WARC" in bad.reason
