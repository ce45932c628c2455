"""Check annotators' working files and write eval/news/annotations.jsonl (offsets and labels only).

Usage:
  python scripts/news_build.py --check WORK.jsonl [...]       check only; one line per problem
  python scripts/news_build.py WORK.jsonl [...] [--out PATH]   check, then write (default
                                                               eval/news/annotations.jsonl)

A working file has one JSON object per article (docs/annotation.md, section 9) with span texts;
the output keeps ids, sentence spans, character offsets and labels, never the texts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml
from news_common import ANNOTATIONS, ROOT, published_of, read_shared, sentence_spans, split_of

DATA = ROOT / "src" / "eventwire" / "data"
SECTORS = set(["COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC", "NGO", "IGO"])
ORG_CODES = {"IGO", "UNO", "EUR", "NGO", "IMG"}
MODALITIES = {"asserted", "negated", "future", "hypothetical"}
PRECISIONS = {"year": 4, "month": 7, "week": 10, "day": 10}
COUNT_KINDS = {"killed", "injured", "arrested", "displaced", "crowd", "other"}
QUALIFIERS = {"exact", "at_least", "at_most", "about", "more_than", "less_than"}
_OCC = re.compile(r"^(.*?)#(\d+)$")


def _ontology() -> tuple[dict[str, set[str]], set[str]]:
    plover = yaml.safe_load((DATA / "ontology" / "plover.yaml").read_text())
    types = {t: set((v or {}).get("modes", {}) or {}) for t, v in plover.items()}
    extra = {"CONSULT": set(), "REQUEST": set(), "REJECT": {"assist", "change", "yield", "meet"}}
    for t, modes in extra.items():
        types[t] |= modes
    contexts = set(yaml.safe_load((DATA / "ontology" / "contexts.yaml").read_text())["cues"])
    return types, contexts


def _countries() -> set[str]:
    text = (DATA / "actors" / "countries.yaml").read_text()
    return set(re.findall(r"\b([A-Z]{3})\b", text)) | ORG_CODES


class Checker:
    def __init__(self) -> None:
        self.types, self.contexts = _ontology()
        self.countries = _countries()
        self.problems: list[str] = []

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def find(self, text: str, span: tuple[int, int], needle: str | None, where: str) -> list[int] | None:
        """Offsets of a span text inside a sentence (whitespace-insensitive; '#N' = Nth occurrence)."""
        if needle is None:
            return None
        if not isinstance(needle, str) or not needle.strip():
            self.problem(where, f"span text must be a non-empty string, not {needle!r}")
            return None
        nth = 1
        m = _OCC.match(needle)
        if m:
            needle, nth = m.group(1), int(m.group(2))
        pattern = r"\s+".join(re.escape(w) for w in needle.split())
        hits = [h for h in re.finditer(pattern, text[span[0]:span[1]])]
        if len(hits) < nth:
            self.problem(where, f"{needle!r} (occurrence {nth}) is not in the sentence")
            return None
        h = hits[nth - 1]
        return [span[0] + h.start(), span[0] + h.end()]

    def actor(self, a: dict, text: str, span: tuple[int, int], where: str) -> dict:
        if not isinstance(a, dict):
            self.problem(where, "an actor must be an object {text, country, sector}")
            return {}
        unknown = set(a) - {"text", "country", "sector", "implied"}
        if unknown:
            self.problem(where, f"unknown actor keys {sorted(unknown)}")
        country, sector = a.get("country"), a.get("sector")
        if country is not None and country not in self.countries:
            self.problem(where, f"unknown country code {country!r}")
        if sector is not None and sector not in SECTORS:
            self.problem(where, f"unknown sector {sector!r}")
        if a.get("text") is None and not a.get("implied"):
            self.problem(where, "an actor with text null must say \"implied\": true")
        return {"span": self.find(text, span, a.get("text"), where), "country": country, "sector": sector,
                "implied": bool(a.get("implied"))}

    def event(self, ev: dict, text: str, span: tuple[int, int], where: str) -> dict:
        known = {"type", "mode", "context", "trigger", "source", "target", "location", "date", "modality",
                 "background", "counts"}
        unknown = set(ev) - known
        if unknown:
            self.problem(where, f"unknown event keys {sorted(unknown)}")
        etype, mode = ev.get("type"), ev.get("mode") or ""
        if etype not in self.types:
            self.problem(where, f"unknown event type {etype!r}")
        elif mode and mode not in self.types[etype]:
            self.problem(where, f"mode {mode!r} is not a mode of {etype} ({', '.join(sorted(self.types[etype]))})")
        for c in ev.get("context") or []:
            if c not in self.contexts:
                self.problem(where, f"unknown context {c!r}")
        trigger = self.find(text, span, ev.get("trigger"), where + " trigger")
        if ev.get("trigger") is None:
            self.problem(where, "trigger is required")
        modality = ev.get("modality", "asserted")
        if modality not in MODALITIES:
            self.problem(where, f"modality must be one of {sorted(MODALITIES)}, not {modality!r}")
        if not isinstance(ev.get("background", False), bool):
            self.problem(where, "background must be true or false")
        loc = ev.get("location")
        location = None
        if loc is not None:
            if not isinstance(loc, dict):
                self.problem(where, "location must be {text, country} or null")
            else:
                if loc.get("country") is not None and loc["country"] not in self.countries:
                    self.problem(where, f"unknown location country {loc['country']!r}")
                location = {"span": self.find(text, span, loc.get("text"), where + " location"),
                            "country": loc.get("country")}
        date = ev.get("date")
        if date is not None:
            value, precision = (date or {}).get("value"), (date or {}).get("precision")
            if precision not in PRECISIONS or not isinstance(value, str) or len(value) != PRECISIONS[precision] \
                    or not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value):
                self.problem(where, f"date must be {{value: YYYY[-MM[-DD]], precision: year|month|week|day}} "
                                    f"with a value of that precision, not {date!r}")
        counts = []
        for c in ev.get("counts") or []:
            if c.get("kind") not in COUNT_KINDS or c.get("qualifier") not in QUALIFIERS \
                    or not isinstance(c.get("value"), int) or isinstance(c.get("value"), bool):
                self.problem(where, f"count needs kind in {sorted(COUNT_KINDS)}, an integer value and a qualifier "
                                    f"in {sorted(QUALIFIERS)}: {c!r}")
                continue
            counts.append({"kind": c["kind"], "value": c["value"], "qualifier": c["qualifier"],
                           "span": self.find(text, span, c.get("text"), where + " count")})
        return {
            "type": etype, "mode": mode, "context": list(ev.get("context") or []), "trigger": trigger,
            "source": [self.actor(a, text, span, where + " source") for a in ev.get("source") or []],
            "target": [self.actor(a, text, span, where + " target") for a in ev.get("target") or []],
            "location": location, "date": date, "modality": modality,
            "background": bool(ev.get("background", False)), "counts": counts,
        }

    def article(self, work: dict, where: str) -> dict | None:
        article_id, file = str(work.get("id")), work.get("file")
        try:
            row = read_shared(file)[article_id]
        except (KeyError, FileNotFoundError, TypeError):
            self.problem(where, f"no article {article_id!r} in ../shared/eval/{file}")
            return None
        text = row["text"]
        spans = sentence_spans(text)
        given = {s.get("s"): s for s in work.get("sentences") or []}
        missing = [i for i in range(len(spans)) if i not in given]
        if missing:
            self.problem(where, f"{article_id}: sentences not coded: {missing[:20]}")
        extra = [i for i in given if not isinstance(i, int) or not 0 <= i < len(spans)]
        if extra:
            self.problem(where, f"{article_id}: no such sentences: {extra[:20]}")
        sentences = []
        for i, span in enumerate(spans):
            events = [self.event(ev, text, span, f"{where} {article_id} s{i}")
                      for ev in (given.get(i) or {}).get("events") or []]
            sentences.append({"start": span[0], "end": span[1], "events": events})
        return {"id": article_id, "file": file, "split": split_of(article_id), "published": published_of(row),
                "annotator": work.get("annotator"), "sentences": sentences}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", type=Path, default=ANNOTATIONS)
    args = parser.parse_args(argv)
    checker = Checker()
    out: dict[str, dict] = {}
    for path in args.work:
        for n, line in enumerate(path.open(encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                work = json.loads(line)
            except json.JSONDecodeError as exc:
                checker.problem(f"{path}:{n}", f"not JSON ({exc})")
                continue
            art = checker.article(work, f"{path}:{n}")
            if art is not None:
                out[art["id"]] = art
    for p in checker.problems:
        print(p)
    n_events = sum(len(s["events"]) for a in out.values() for s in a["sentences"])
    n_sents = sum(len(a["sentences"]) for a in out.values())
    print(f"{len(out)} articles, {n_sents} sentences, {n_events} events, {len(checker.problems)} problems",
          file=sys.stderr)
    if args.check or checker.problems:
        return 1 if checker.problems else 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for article_id in sorted(out):
            fh.write(json.dumps(out[article_id], sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
