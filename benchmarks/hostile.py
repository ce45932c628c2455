"""Hostile-input and fault campaign (issue 14): nothing kills a batch, nothing poisons the database.

Usage: python benchmarks/hostile.py [--inputs N] [--kills K] [--seed S] [--good 60] [--guardian]
                                    [--ingest-inputs M] [--budget SECONDS] [--json]

1. generates N varied hostile inputs (seeded: deep or huge JSON, lone surrogates, huge numbers,
   impossible dates, BOMs and BOM-less UTF-16, NUL and invisible-only text, control bytes,
   long words, long sentences, repeated text, broken HTML and gzip, junk WARC, mutated articles);
2. feeds every one through stage 1 and the Coder in this process (``code()``);
3. ingests a folder and a JSONL file, each holding M of the inputs mixed with the good articles
   (texts generated here, or with --guardian the first ones of ../shared/eval/corpus/guardian_syria.jsonl,
   read in place), in a subprocess with two workers and a timeout;
4. SIGKILLs an ingest (its whole process group) at K random moments, then lets it finish;
5. prints: inputs tried, crashes, hangs, peak RSS, good articles stored, lost and duplicated,
   entries unaccounted for, and errors longer than one line (or than 300 characters, or with two codes).

Every size is bounded (no input above 1.5 MB) and so is the time (--budget for the kills).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GUARDIAN = ROOT.parent.parent / "shared" / "eval" / "corpus" / "guardian_syria.jsonl"
if not GUARDIAN.exists():
    GUARDIAN = Path("/work/shared/eval/corpus/guardian_syria.jsonl")
CODE = re.compile(r"\[EW\d{3}\]")
HANG_S = 120.0  # one input coded in-process for longer than this counts as a hang

WHO = ["Rebels", "Soldiers", "Police", "Protesters", "Militants", "Officials", "Farmers", "Students", "Doctors"]
DID = ["attacked", "shelled", "arrested", "met", "accused", "blockaded", "criticised", "visited", "raided"]
WHOM = ["an army post", "a village", "twelve activists", "the governor", "a convoy", "the ministry", "a market"]
WHERE = ["Hama", "Homs", "Idlib", "Aleppo", "Raqqa", "Tunis", "Bamako", "Kidal", "Nairobi", "Omdurman"]
WHEN = ["on Monday", "on Tuesday", "on Friday", "last week", "on 3 March 2024", "overnight"]


def good_texts(n: int, rng: random.Random, guardian: bool) -> list[str]:
    """n good articles: the first n of the Guardian corpus (read in place), or generated here."""
    if guardian and GUARDIAN.exists():
        rows = [json.loads(line) for line in GUARDIAN.open(encoding="utf-8") if line.strip()]
        return [r["text"] for r in rows if r.get("text")][:n]
    out = []
    for i in range(n):
        sentences = [f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHOM)} near {rng.choice(WHERE)} "
                     f"{rng.choice(WHEN)}, {rng.choice(['officials', 'witnesses', 'residents'])} said." for _ in range(4)]
        out.append(f"Report {i}. " + " ".join(sentences))
    return out


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHOM)} near {rng.choice(WHERE)} {rng.choice(WHEN)}."


# -- generators: each returns (payload bytes, file suffix) -------------------------------------------------
def g_deep_json(r: random.Random) -> tuple[bytes, str]:
    depth = r.choice([65, 200, 999, 1001, 5000, 20000])
    o, c = r.choice([("[", "]"), ('{"a":', "}")])
    inner = o * depth + "1" + c * depth
    return json.dumps({"text": sentence(r)})[:-1].encode() + b', "x": ' + inner.encode() + b"}", ".json"


def g_surrogate(r: random.Random) -> tuple[bytes, str]:
    field = r.choice(["text", "title", "id", "outlet", "url", "published"])
    esc = r.choice(["\\ud800", "\\udfff", "\\udc80\\ud800", "\\ud83d"])
    obj = {"text": sentence(r) + " " + sentence(r)}
    raw = json.dumps(obj)
    raw = raw[:-2] + " " + esc + '"}' if field == "text" else raw[:-1] + f', "{field}": "x {esc} y"' + "}"
    return raw.encode(), ".json"


def g_huge_number(r: random.Random) -> tuple[bytes, str]:
    digits = "7" * r.choice([299, 301, 4301, 5000, 20])
    where = r.choice(["json-int", "json-title", "text", "json-published", "float"])
    if where == "json-int":
        return f'{{"text": "{sentence(r)}", "n": {digits}}}'.encode(), ".json"
    if where == "json-title":
        return f'{{"text": "{sentence(r)}", "title": {digits[:4000]}}}'.encode(), ".json"
    if where == "json-published":
        return f'{{"text": "{sentence(r)}", "published": {digits[:4000]}}}'.encode(), ".json"
    if where == "float":
        return f'{{"text": "{sentence(r)}", "n": 1e99999, "m": -0.0, "k": NaN}}'.encode(), ".json"
    return f"Police killed {digits} people in {r.choice(WHERE)} {r.choice(WHEN)}. {sentence(r)}".encode(), ".txt"


def g_bad_date(r: random.Random) -> tuple[bytes, str]:
    value = r.choice(["9999-12-31", "0001-01-01", "0000-00-00", "1799-12-31", "2101-01-01", "-1", "99999999",
                      "2023-13-45", "Wed, 31 Dec 9999 10:00:00 GMT", "in the year 3000", 1e300, None, [], {}])
    text = sentence(r) + f" It happened in {r.choice(['9999', '0001', '1066', '2999', '12000'])}."
    return json.dumps({"text": text, "published": value}).encode(), ".json"


def g_encoding(r: random.Random) -> tuple[bytes, str]:
    text = sentence(r) + " " + sentence(r)
    codec, bom = r.choice([("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                           ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
                           ("utf-16-le", b""), ("utf-16-be", b""), ("latin-1", b""), ("cp1252", b""),
                           ("utf-32-le", b"")])
    return bom + text.encode(codec, "replace"), ".txt"


def g_invisible(r: random.Random) -> tuple[bytes, str]:
    chars = ["\u180e", "\u0085", "\u2028", "\u2029", "\u200b", "\u200d", "\ufeff", "\u2060", "\x00", "\u00ad",
             "\u202e", "\x7f", "\x1b", " ", "\n"]
    text = "".join(r.choice(chars) for _ in range(r.randint(1, 5000)))
    if r.random() < 0.3:
        text = text[: len(text) // 2] + sentence(r) + text[len(text) // 2:]
    return text.encode("utf-8", "surrogatepass"), ".txt"


def g_controls(r: random.Random) -> tuple[bytes, str]:
    n = r.randint(1, 20000)
    kind = r.choice(["random", "nul", "ctrl", "mixed"])
    if kind == "random":
        data = r.randbytes(n)
    elif kind == "nul":
        data = b"\x00" * n
    elif kind == "ctrl":
        data = bytes(r.randint(0, 31) for _ in range(n))
    else:
        data = sentence(r).encode() + r.randbytes(n) + sentence(r).encode()
    return data, r.choice([".txt", ".json", ".html"])


def g_long_word(r: random.Random) -> tuple[bytes, str]:
    n = r.choice([301, 1000, 10_000, 55_555])
    joiner = r.choice(["-", "/", "_", ".", "", "'"])
    word = joiner.join(["word"] * (n // 4 if joiner == "" else n // 5))
    return f"{sentence(r)} {word} {sentence(r)}".encode(), ".txt"


def g_long_sentence(r: random.Random) -> tuple[bytes, str]:
    n = r.choice([401, 1000, 5000, 20000])
    body = " ".join(r.choice(["and", "then", "rebels", "soldiers", "attacked", ",", "the", "town"]) for _ in range(n))
    return f"{sentence(r)} {body}. {sentence(r)}".encode(), ".txt"


def g_repeated(r: random.Random) -> tuple[bytes, str]:
    unit = r.choice(["a\n", "a ", "Iran attacked Israel. ", "\n\n", "x", ". ", "- ", "ok\r\n"])
    n = r.choice([10, 1000, 40_000, 200_000, 700_000])
    return (unit * n).encode()[:1_500_000], ".txt"


def g_html(r: random.Random) -> tuple[bytes, str]:
    kind = r.choice(["deep", "script", "entities", "attr", "broken", "comment"])
    s = sentence(r)
    if kind == "deep":
        n = r.choice([100, 1000, 5000, 20000])
        html = "<html><body>" + "<div>" * n + f"<p>{s}</p>" + "</div>" * n + "</body></html>"
    elif kind == "script":
        html = "<html><body><script>" + "var a=1;" * 1000 + "</script></body></html>"
    elif kind == "entities":
        html = f"<html><body><article><p>{s} &#0; &#xD800; &#x110000; &#99999999999; &bogus; {s}</p></article></body></html>"
    elif kind == "attr":
        html = f'<html><body><p title="{"x" * 200_000}">{s}</p></body></html>'
    elif kind == "comment":
        html = f"<html><body><!-- {s} " + "-" * 10000 + f"<p>{s}</p></body></html>"
    else:
        html = f"<html><body><p>{s}<div><table><tr><td>{s}</p></span></html></body>" + "<" * 5000
    return html.encode(), ".html"


def g_json_shapes(r: random.Random) -> tuple[bytes, str]:
    s = sentence(r)
    shape = r.choice([
        "[]", "null", "12", '"just a string"', '{"text": 12}', '{"text": ["x"]}', '{"text": null}',
        '{"html": "<p>' + s + '</p>"}', '{"text": "' + s + '", "title": {"a": 1}, "outlet": [1, 2], "id": true}',
        '{"article": {"id": "x"}, "text": "' + s + '", "events": [{"bogus": 1}]}',
        '{"article": {"id": "x", "published": "9999-12-31"}, "text": "' + s + '", "events": []}',
        '{"text": "' + s + '", "id": "' + "i" * 10000 + '"}', '{"text": "' + s + '"', '{"text": "' + s + '"}}',
        '{"text": "' + s + '", "url": "javascript:alert(1)", "title": "=HYPERLINK(\\"http://x\\")"}',
    ])
    return shape.encode(), ".json"


def g_gzip(r: random.Random) -> tuple[bytes, str]:
    kind = r.choice(["blank", "truncated", "bomb", "good", "double"])
    if kind == "blank":
        return gzip.compress(b"  \n\n\t " * r.randint(1, 100)), ".txt.gz"
    if kind == "truncated":
        return gzip.compress(sentence(r).encode() * 50)[:-r.randint(1, 30)], ".txt.gz"
    if kind == "bomb":
        return gzip.compress(b"\0" * 20_000_000, 9), ".txt.gz"  # 20 MB of NUL, about 20 KB packed
    if kind == "double":
        return gzip.compress(gzip.compress(sentence(r).encode())), ".txt.gz"
    return gzip.compress((sentence(r) + " " + sentence(r)).encode()), ".txt.gz"


def g_warc(r: random.Random) -> tuple[bytes, str]:
    kind = r.choice(["junk", "empty", "header-only", "non-html"])
    if kind == "junk":
        return b"WARC/1.0\r\n" + r.randbytes(r.randint(10, 2000)), ".warc"
    if kind == "empty":
        return b"", ".warc"
    if kind == "header-only":
        return b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>", ".warc"
    body = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"
    head = f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body + b"\r\n\r\n", ".warc"


def g_unicode(r: random.Random) -> tuple[bytes, str]:
    pools = ["\u0300\u0301\u0302\u0336", "\u202e\u202d\u200f", "😀🔥🧨", "مرحبا بالعالم", "你好世界", "\U000e0001\U000e0041"]
    s = sentence(r)
    text = "".join(ch + "".join(r.choice(pools[0]) for _ in range(r.randint(0, 30))) for ch in s)
    text += " " + "".join(r.choice(r.choice(pools)) for _ in range(r.randint(1, 3000)))
    return text.encode("utf-8"), ".txt"


def g_mutated(r: random.Random) -> tuple[bytes, str]:
    data = bytearray((" ".join(sentence(r) for _ in range(r.randint(1, 20)))).encode())
    for _ in range(r.randint(1, 50)):
        op = r.random()
        i = r.randrange(len(data)) if data else 0
        if op < 0.4 and data:
            data[i] = r.randrange(256)
        elif op < 0.7:
            data[i:i] = r.randbytes(r.randint(1, 8))
        elif data:
            del data[i:i + r.randint(1, 8)]
    return bytes(data), r.choice([".txt", ".html"])


GENERATORS = [g_deep_json, g_surrogate, g_huge_number, g_bad_date, g_encoding, g_invisible, g_controls, g_long_word,
              g_long_sentence, g_repeated, g_html, g_json_shapes, g_gzip, g_warc, g_unicode, g_mutated]


def generate(n: int, seed: int) -> list[tuple[str, bytes, str]]:
    """n hostile inputs as (generator name, bytes, file suffix), the same for the same seed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        gen = GENERATORS[i % len(GENERATORS)] if i < len(GENERATORS) else rng.choice(GENERATORS)
        payload, suffix = gen(random.Random(rng.getrandbits(64)))
        out.append((gen.__name__[2:], payload[:1_500_000], suffix))
    return out


def bad_message(text: str) -> bool:
    """True for an error that is not one line, is longer than 300 characters or carries two codes."""
    return "\n" in text or len(text) > 300 or len(CODE.findall(text)) > 1


# -- phase 2: code() in this process ----------------------------------------------------------------------------
def run_code(inputs: list[tuple[str, bytes, str]]) -> dict[str, Any]:
    from eventwire.clean import load_article
    from eventwire.errors import EventwireError
    from eventwire.pipeline import Coder, Failure

    coder = Coder()
    crashes, hangs, bad, coded, refused, slowest = [], 0, [], 0, 0, (0.0, "")
    for i, (kind, payload, suffix) in enumerate(inputs):
        start = time.perf_counter()
        try:
            data: Any = gzip.decompress(payload) if suffix.endswith(".gz") else payload
        except Exception:  # noqa: BLE001 - a broken gzip is the file reader's business, not code()
            data = payload
        try:
            raw = load_article(data, name=f"input{i}", kind={".json": "json", ".html": "html"}.get(suffix, "auto"))
            (result,) = list(coder.code_many([raw]))
            if isinstance(result, Failure):
                refused += 1
                if bad_message(result.reason):
                    bad.append((kind, result.reason[:200]))
            else:
                coded += 1
                json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
        except EventwireError as exc:
            refused += 1
            if bad_message(str(exc)):
                bad.append((kind, str(exc)[:200]))
        except BaseException as exc:  # noqa: BLE001 - a crash: counted and reported
            crashes.append((kind, f"{type(exc).__name__}: {str(exc)[:160]}"))
        took = time.perf_counter() - start
        hangs += took > HANG_S
        if took > slowest[0]:
            slowest = (took, kind)
    return {"inputs": len(inputs), "coded": coded, "refused": refused, "crashes": crashes, "hangs": hangs,
            "bad_messages": bad, "slowest_s": round(slowest[0], 2), "slowest_kind": slowest[1],
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


# -- phases 3 and 4: ingest in a subprocess ---------------------------------------------------------------------
def ingest_cmd(source: Path, db: Path, workers: int, extra: list[str] | None = None) -> list[str]:
    return [sys.executable, "-c", "from eventwire.cli import main; main()", "ingest", str(source), "--db", str(db),
            "--workers", str(workers), "--no-progress", "--json", "--no-stories", "--article-timeout", "60",
            *(extra or [])]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT / "src"))


def expected_hashes(goods: list[str]) -> set[str]:
    from eventwire.clean import content_hash, load_article

    return {content_hash(load_article(t).text) for t in goods}


def check_db(db: Path, goods: set[str]) -> dict[str, Any]:
    con = sqlite3.connect(db)
    try:
        hashes = [r[0] for r in con.execute("SELECT content_hash FROM articles")]
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        orphans = con.execute("SELECT count(*) FROM events WHERE article_pk NOT IN (SELECT id FROM articles)").fetchone()[0]
        no_source = con.execute("SELECT count(*) FROM articles WHERE source IS NULL").fetchone()[0]
        reasons = [r[0] for r in con.execute("SELECT reason FROM failures")]
    finally:
        con.close()
    return {"good_stored": len(goods & set(hashes)), "lost": len(goods - set(hashes)),
            "duplicated": len(hashes) - len(set(hashes)), "integrity": integrity, "orphan_events": orphans,
            "articles_without_source": no_source, "bad_messages": sum(bad_message(r) for r in reasons)}


def run_ingest(source: Path, db: Path, goods: set[str], timeout: float, workers: int = 2) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        run = subprocess.run(ingest_cmd(source, db, workers), env=_env(), capture_output=True, text=True,
                             timeout=timeout, errors="replace")
    except subprocess.TimeoutExpired:
        return {"hang": 1, "crash": 0, "seconds": round(time.perf_counter() - start, 1)}
    summary = json.loads(run.stdout) if run.returncode == 0 and run.stdout.strip() else {}
    out: dict[str, Any] = {"hang": 0, "crash": int(run.returncode != 0 or "Traceback" in run.stderr),
                           "rc": run.returncode, "seconds": round(time.perf_counter() - start, 1)}
    if out["crash"]:
        out["stderr"] = run.stderr[-600:]
    if summary:
        accounted = summary["coded"] + summary["imported"] + summary["duplicates"] + summary["failed"]
        out.update({k: summary[k] for k in ("read", "coded", "imported", "duplicates", "failed", "restarts")})
        out["unaccounted"] = summary["read"] - accounted
        out["bad_messages"] = sum(bad_message(f["reason"]) for f in summary["failures"])
        out["stderr_lines"] = len([line for line in run.stderr.splitlines() if line.strip()])
    out.update({f"db_{k}": v for k, v in check_db(db, goods).items()} if db.exists() else {"db_missing": 1})
    return out


def run_kills(folder: Path, db: Path, goods: set[str], kills: int, budget: float, rng: random.Random,
              max_delay: float) -> dict[str, Any]:
    """SIGKILL an ingest (supervisor and workers) at random moments, then let it finish."""
    done, start, moments = 0, time.perf_counter(), []
    while done < kills and time.perf_counter() - start < budget:
        delay = rng.uniform(0.0, max_delay)
        proc = subprocess.Popen(ingest_cmd(folder, db, 1, ["--chunk-size", "4"]), env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            done += 1
            moments.append(round(delay, 2))
        if finished and done < kills:
            # it completed before the kill: start over from an empty database so that kills keep landing
            for p in db.parent.glob(db.name + "*"):
                p.unlink()
    final = run_ingest(folder, db, goods, timeout=1800, workers=1)
    return {"kills": done, "seconds": round(time.perf_counter() - start, 1), "final": final,
            "moments_min_max": [min(moments, default=0), max(moments, default=0)]}


def _phase(name: str, figures: Any) -> None:
    """Each phase's figures on stderr as soon as it ends (a long campaign stopped early keeps them)."""
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {json.dumps(figures, default=str)}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--ingest-inputs", type=int, default=2_000, help="hostile inputs in each ingested source")
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--good", type=int, default=60)
    parser.add_argument("--guardian", action="store_true", help="good articles from the Guardian corpus")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--budget", type=float, default=1800.0, help="seconds for the kills")
    parser.add_argument("--kill-max-delay", type=float, default=14.0, help="kill moments: 0 .. this many seconds")
    parser.add_argument("--workers", type=int, default=2, help="workers of the folder and JSONL ingests")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    rng = random.Random(args.seed)
    inputs = generate(args.inputs, args.seed)
    goods = good_texts(args.good, rng, args.guardian)
    good_hashes = expected_hashes(goods)
    t0 = time.perf_counter()
    figures: dict[str, Any] = {"inputs_tried": len(inputs), "good_articles": len(goods)}
    code = run_code(inputs)
    figures["code"] = {k: (len(v) if isinstance(v, list) else v) for k, v in code.items()}
    figures["code_crash_examples"] = code["crashes"][:5]
    figures["code_bad_message_examples"] = code["bad_messages"][:5]
    _phase("code", figures["code"])
    with tempfile.TemporaryDirectory(prefix="ew-hostile-") as tmp:
        base = Path(tmp)
        sample = rng.sample(inputs, min(args.ingest_inputs, len(inputs)))
        folder = base / "folder"
        folder.mkdir()
        for i, (kind, payload, suffix) in enumerate(sample):
            (folder / f"h{i:05d}-{kind}{suffix}").write_bytes(payload)
        for i, text in enumerate(goods):
            (folder / f"g{i:03d}.txt").write_text(text, encoding="utf-8")
        figures["ingest_folder"] = run_ingest(folder, base / "folder.db", good_hashes, timeout=3600,
                                               workers=args.workers)
        lines = [payload.replace(b"\n", b" ").replace(b"\r", b" ") for _, payload, suffix in sample
                 if suffix in (".json", ".txt") and b"\n" not in payload[:1]]
        lines += [json.dumps({"text": t, "id": f"good{i}"}).encode() for i, t in enumerate(goods)]
        random.Random(args.seed).shuffle(lines)
        jsonl = base / "mixed.jsonl"
        jsonl.write_bytes(b"\n".join(lines) + b"\n")
        _phase("ingest_folder", figures["ingest_folder"])
        figures["ingest_jsonl"] = run_ingest(jsonl, base / "jsonl.db", good_hashes, timeout=3600,
                                              workers=args.workers)
        _phase("ingest_jsonl", figures["ingest_jsonl"])
        kill_folder = base / "kill"
        kill_folder.mkdir()
        for i, (kind, payload, suffix) in enumerate(sample[:40]):
            (kill_folder / f"h{i:05d}-{kind}{suffix}").write_bytes(payload)
        for i, text in enumerate(goods):
            (kill_folder / f"g{i:03d}.txt").write_text(text, encoding="utf-8")
        figures["kills"] = run_kills(kill_folder, base / "kill.db", good_hashes, args.kills, args.budget, rng,
                                      args.kill_max_delay) \
            if args.kills else {}
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ingests = [figures["ingest_folder"], figures["ingest_jsonl"]] + ([figures["kills"]["final"]] if args.kills else [])
    totals = {
        "inputs tried": len(inputs),
        "crashes": len(code["crashes"]) + sum(r.get("crash", 0) for r in ingests),
        "hangs": code["hangs"] + sum(r.get("hang", 0) for r in ingests),
        "peak RSS MB (largest process)": round(max(code["peak_rss_mb"], children), 1),
        "good stored (folder)": f"{figures['ingest_folder'].get('db_good_stored', 0)}/{len(goods)}",
        "good stored (jsonl)": f"{figures['ingest_jsonl'].get('db_good_stored', 0)}/{len(goods)}",
        "good stored (after kills)": f"{figures['kills']['final'].get('db_good_stored', 0)}/{len(goods)}"
        if args.kills else "-",
        "kills": figures["kills"].get("kills", 0) if args.kills else 0,
        "lost": sum(r.get("db_lost", 0) for r in ingests),
        "duplicated": sum(r.get("db_duplicated", 0) for r in ingests),
        "unaccounted entries": sum(r.get("unaccounted", 0) for r in ingests),
        "errors longer than one line": len(code["bad_messages"]) + sum(r.get("bad_messages", 0) for r in ingests)
        + sum(r.get("db_bad_messages", 0) for r in ingests),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    figures["totals"] = totals
    for key, value in totals.items():
        print(f"{key:>32}: {value}")
    if args.json:
        print(json.dumps(figures, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
