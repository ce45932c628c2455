"""Issue 14, sources: bounded reading, nothing fetched that should not be, nothing skipped silently.

Numbered as in the issue: 3 (gzip bomb, fetch size cap and deadline, reading not stat, FIFO),
4 (SSRF after DNS and after redirects, file: links, symlinks out of a folder), 5 (blank gzip, junk
WARC, FIFOs, broken links and loops reported).
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eventwire.clean import RawArticle
from eventwire.errors import InputError
from eventwire.settings import Settings
from eventwire.sources import Meta, SourceFailure, expand_sources, iter_items
from eventwire.sources.feeds import fetch
from eventwire.sources.files import read_bytes

TEXT = "Rebels attacked an army post near Hama on Tuesday, officials said."
PAGE = f"<html><head><title>Page</title></head><body><article><p>{TEXT} " * 3 + "</p></article></body></html>"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        port = self.server.server_address[1]
        if self.path == "/internal-admin":
            self._send(PAGE.replace("Rebels", "SECRET").encode())
        elif self.path == "/redirect-internal":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{port}/internal-admin")
            self.end_headers()
        elif self.path == "/redirect-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
        elif self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass
        elif self.path == "/feed":
            links = LINKS
            items = "".join(f"<item><title>I{i}</title><link>{link.replace('PORT', str(port))}</link>"
                            "<description></description></item>" for i, link in enumerate(links))
            self._send(f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode())
        else:
            self._send(PAGE.encode())

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def web() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


LINKS: list[str] = []


def _feed_items(port: int, *links: str, settings: Settings | None = None) -> list:
    LINKS[:] = links
    return list(iter_items([f"http://127.0.0.1:{port}/feed"], Meta(), settings or Settings()))


# -- 4. fetching what it should not -----------------------------------------------------------------
def test_4_feed_links_to_loopback_private_and_file_are_refused(web: int) -> None:
    items = _feed_items(web, "http://127.0.0.1:PORT/internal-admin", "http://localhost:PORT/internal-admin",
                        "file://localhost/etc/passwd", "http://10.0.0.1:9/x", "http://169.254.169.254/latest")
    assert len(items) == 5 and all(isinstance(i, SourceFailure) for i in items)
    assert "loopback" in items[0].reason and "loopback" in items[1].reason
    assert "file" in items[2].reason and "private" in items[3].reason and "link-local" in items[4].reason
    assert all("\n" not in i.reason and len(i.reason) <= 300 for i in items)


def test_4_allow_list_names_a_host_and_redirects_are_checked_again(web: int) -> None:
    allow = Settings(fetch_allow_hosts=["localhost"])
    ok, redirected, to_file = _feed_items(web, "http://localhost:PORT/page", "http://localhost:PORT/redirect-internal",
                                          "http://localhost:PORT/redirect-file", settings=allow)
    assert isinstance(ok, RawArticle) and "Rebels attacked" in ok.text
    assert isinstance(redirected, SourceFailure) and "loopback" in redirected.reason
    assert "SECRET" not in str(redirected)
    assert isinstance(to_file, SourceFailure)
    with pytest.raises(InputError, match="loopback"):
        fetch(f"http://localhost:{web}/page", settings=Settings(), guard=True)


# -- 3. fetch bounds, gzip bomb, reading not stat, FIFO -------------------------------------------------
def test_3_fetch_is_capped_in_bytes_and_in_total_time(web: int) -> None:
    with pytest.raises(InputError, match="fetch_max_bytes"):
        fetch(f"http://127.0.0.1:{web}/big", settings=Settings(fetch_max_bytes=100_000))
    start = time.monotonic()
    with pytest.raises(InputError, match="fetch_deadline|timed out"):
        fetch(f"http://127.0.0.1:{web}/slow", settings=Settings(fetch_deadline=1.5))
    assert time.monotonic() - start < 5


def test_3_gzip_expansion_is_bounded(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with bomb.open("wb") as fh:  # 64 MB of zeros, about 64 KB on disk
        block = b"\0" * (1 << 20)
        for _ in range(64):
            fh.write(packer.compress(block))
        fh.write(packer.flush())
    with pytest.raises(InputError, match="max_bytes"):
        read_bytes(bomb, Settings(max_bytes=1_000_000))
    lines = tmp_path / "bomb.jsonl.gz"
    lines.write_bytes(gzip.compress(b"\n".join([json.dumps({"text": TEXT}).encode()] + [b"\0" * 1_000_000] * 8)))
    items = list(iter_items([lines], Meta(), Settings(max_gzip_bytes=3_000_000)))
    assert isinstance(items[0], RawArticle) and isinstance(items[-1], SourceFailure)
    assert "max_gzip_bytes" in items[-1].reason


def test_3_reading_is_bounded_by_reading_and_fifos_never_block(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file"):  # a device: refused, never read
        read_bytes(Path("/dev/zero"), Settings(max_bytes=1000))
    assert os.stat("/proc/self/maps").st_size == 0  # stat says empty: only reading tells
    with pytest.raises(InputError, match="more than 10 bytes"):
        read_bytes(Path("/proc/self/maps"), Settings(max_bytes=10))
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (item,) = list(iter_items([fifo], Meta()))
    assert isinstance(item, SourceFailure) and "not a regular file" in item.reason


# -- 4/5. folders: symlinks, FIFOs, loops reported, never read ------------------------------------------
def test_4_5_symlinks_out_of_a_folder_fifos_broken_links_and_loops_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT)
    outside = tmp_path / "secret.txt"
    outside.write_text("The password is hunter2 and nothing else happened in Hama.")
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "outdir").symlink_to(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    items = list(iter_items([folder], Meta()))
    stored = [i for i in items if isinstance(i, RawArticle)]
    failed = {Path(i.source).name: i.reason for i in items if isinstance(i, SourceFailure)}
    assert all("hunter2" not in i.text for i in stored) and len(stored) == 2  # good.txt, and inside.txt to it
    assert set(failed) == {"passwd.txt", "broken.txt", "loop.txt", "outdir", "pipe.txt"}
    assert "out of the folder" in failed["passwd.txt"] and "broken" in failed["broken.txt"]
    assert "loop" in failed["loop.txt"] and "FIFO" in failed["pipe.txt"]
    followed = list(iter_items([folder], Meta(), Settings(follow_symlinks=True)))
    assert any(isinstance(i, RawArticle) and "hunter2" in i.text for i in followed)
    assert expand_sources([folder]) == [str(folder / "good.txt"), str(folder / "inside.txt")]


# -- 5. nothing silent ---------------------------------------------------------------------------------
def test_5_blank_gzip_and_junk_warc_are_failures(tmp_path: Path) -> None:
    (tmp_path / "blank.jsonl.gz").write_bytes(gzip.compress(b"\n  \n\n"))
    (tmp_path / "blank.txt.gz").write_bytes(gzip.compress(b"   \n\t"))
    (tmp_path / "junk.warc").write_bytes(b"WARC/1.0\r\nnonsense" + os.urandom(200))
    (tmp_path / "empty.warc.gz").write_bytes(gzip.compress(b""))
    items = list(iter_items([tmp_path], Meta()))
    assert len(items) == 4 and all(isinstance(i, SourceFailure) for i in items)
    assert {Path(i.source).name for i in items} == {"blank.jsonl.gz", "blank.txt.gz", "junk.warc", "empty.warc.gz"}
