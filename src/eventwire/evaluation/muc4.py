"""``eventwire eval muc4 GOLD.jsonl``: MUC-3/4 terrorism templates from eventwire events.

Each gold line: ``{"id", "text", "templates": [{"incident_type", "perp_individual", "perp_org",
"phys_target", "hum_target", "instrument", "optional", ...}]}``; role fillers are lists of
alternative strings. MUC texts are upper case; ``truecase`` lower-cases them, capitalises
sentence starts and keeps short bracketed acronyms ("[FMLN]") upper case, and the wire header
up to ``[TEXT]`` is dropped, before coding.

Prediction: the document's asserted ASSAULT events, except battles between armed forces
(the ACLED ``ARMED_CLASH`` label; MUC keys only terrorist incidents), become templates, one per
incident type (``incident_type``): kidnapping (abduct mode), bombing (explosives, suicide
attack), arson (burning triggers), robbery, else attack. Fillers: perp_org = source actors that
are named groups or organisations, perp_individual = other source actors, hum_target = target
actors, phys_target = targets that are facilities / things, instrument = weapon words in the
event's sentence. Pronouns are never fillers.

Metrics: per document, predicted templates are matched one-to-one to gold templates with a
compatible incident type (the gold's " / " alternatives), maximising matched fillers; slot P/R/F1
is micro over fillers of the five roles (a predicted string matches a gold filler if, case-
insensitively, it equals, contains or is contained in one of its alternatives; each gold filler
matched once). Unmatched optional gold templates cost nothing. incident_type_accuracy = gold
(non-optional) templates matched by type / gold templates in documents where a template was
predicted. relevance_f1: document has >= 1 template, gold vs predicted.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import permutations
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..model import Event
from . import EvalReport, code_items, prf, read_gold

ROLES = ("perp_individual", "perp_org", "phys_target", "hum_target", "instrument")
_SENT_START = re.compile(r"(^\s*|[.!?]\s+)([a-z])")
_BRACKET = re.compile(r"\[([^\]]{1,80})\]")


def _words_rx(words: list[str], plural: bool = False) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"\b(?:" + alternation + r")" + (r"s?\b" if plural else ""))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    """The word classes of data/evaluation/muc4.yaml, with their regular expressions compiled once."""
    from ..resources import default_resources

    data = dict(default_resources().yaml("evaluation/muc4.yaml"))
    for key in ("org_kinds", "skip_kinds", "arson_words", "robbery_words", "not_instruments", "pronouns"):
        data[key] = frozenset(data[key])
    data["physical_rx"] = _words_rx(data["physical_target_words"], plural=True)
    data["arson_rx"] = _words_rx(data["arson_sentence_cues"])
    data["editorial_rx"] = re.compile("(?i)" + "|".join(re.escape(w) for w in data["editorial_notes"]))
    return data


def wire_text(text: str) -> str:
    """The story of a MUC wire text, still in capitals: the header up to [TEXT] dropped, editorial
    brackets removed, other brackets as parentheses ("[FMLN]" -> "(FMLN)"), line wrapping undone.
    The coder's case restoration (``Settings.case_restore``) gives it its capitals."""
    idx = text.find("[TEXT]")
    if 0 <= idx < 400:
        text = text[idx + len("[TEXT]"):]

    def bracket(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        return "" if _lexicon()["editorial_rx"].search(inner) else f"({inner})"

    text = _BRACKET.sub(bracket, text)
    text = re.sub(r"(?<!\n)\n(?![\n ])", " ", text.strip())  # undo line wrapping, keep paragraphs
    return re.sub(r"[ \t]+", " ", text).strip()


def truecase(text: str) -> str:
    """Make an upper-case wire text parseable without the coder's case restoration (``case_restore:
    off``): :func:`wire_text`, lower-cased, sentence starts capitalised, bracketed acronyms of up to
    6 letters kept ("[FMLN]" -> "(FMLN)"), other bracketed names title-cased."""
    acronyms: set[str] = set()
    names: list[str] = []
    for m in _BRACKET.finditer(text):
        inner = m.group(1).strip()
        if re.fullmatch(r"[A-Z][A-Z.\-]{1,5}", inner):
            acronyms.add(inner.lower())
        elif not _lexicon()["editorial_rx"].search(inner):
            names.append(inner.lower())
    low = wire_text(text).lower()
    if acronyms:
        rx = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True)) + r")\b")
        low = rx.sub(lambda m: m.group(1).upper(), low)
    for name in names:  # bracketed expansions are names: title-case them
        low = low.replace(name, name.title())
    return _SENT_START.sub(lambda m: m.group(1) + m.group(2).upper(), low)


def incident_type(event: Event, sentence: str) -> str:
    """MUC incident type of an ASSAULT event from its mode and trigger."""
    trig = event.trigger.text.lower().split()
    if event.mode == "abduct":
        return "KIDNAPPING"
    if event.mode in ("explosives", "suicide-attack"):
        return "BOMBING"
    lex = _lexicon()
    if set(trig) & lex["arson_words"] or event.mode == "destroy" and lex["arson_rx"].search(sentence):
        return "ARSON"
    if set(trig) & lex["robbery_words"]:
        return "ROBBERY"
    return "ATTACK"


def predict_templates(text: str, events: list[Event], weapons: frozenset[str]) -> list[dict[str, Any]]:
    """Templates (incident_type + role filler strings) from one document's coded events."""
    from ..acled import event_label

    weapon_rx = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(weapons, key=len, reverse=True)) + r")s?\b")
    by_type: dict[str, dict[str, list[str]]] = {}
    lex = _lexicon()
    for ev in events:
        if ev.event_type != "ASSAULT" or ev.modality != "asserted":
            continue
        sentence = text[ev.sentence.start:ev.sentence.end].lower()
        if event_label(ev, text) == "ARMED_CLASH":
            continue
        slots = by_type.setdefault(incident_type(ev, sentence), {r: [] for r in ROLES})
        for a in ev.source:
            if a.kind in lex["skip_kinds"] or a.text.lower() in lex["pronouns"]:
                continue
            slots["perp_org" if a.kind in lex["org_kinds"] else "perp_individual"].append(a.text)
        for a in ev.target:
            if a.kind in lex["skip_kinds"] or a.text.lower() in lex["pronouns"]:
                continue
            physical = lex["physical_rx"].search(a.text.lower()) and a.kind != "person"
            slots["phys_target" if physical else "hum_target"].append(a.text)
        for m in weapon_rx.finditer(sentence):
            if m.group(1) not in lex["not_instruments"]:
                slots["instrument"].append(m.group(0))
    out = []
    for itype, slots in by_type.items():
        dedup = {r: list(dict.fromkeys(s.lower().strip() for s in v if s.strip())) for r, v in slots.items()}
        out.append({"incident_type": itype, **dedup})
    return out


def _match(pred: str, alts: list[str]) -> bool:
    p = pred.lower().strip()
    return any(p and (p == a.lower() or p in a.lower() or a.lower() in p) for a in alts if a)


def _pair_score(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[int, int, int]:
    """(tp, fp, fn) over fillers of one predicted/gold template pair."""
    tp = fp = fn = 0
    for role in ROLES:
        gold_fillers = [f for f in gold.get(role) or [] if f]
        used = [False] * len(gold_fillers)
        for p in pred.get(role, []):
            hit = next((i for i, alts in enumerate(gold_fillers) if not used[i] and _match(p, alts)), None)
            if hit is None:
                fp += 1
            else:
                used[hit] = True
                tp += 1
        fn += used.count(False)
    return tp, fp, fn


def _types(gold: dict[str, Any]) -> set[str]:
    return {t.strip() for t in str(gold.get("incident_type") or "").split("/") if t.strip()}


def score_document(preds: list[dict[str, Any]], golds: list[dict[str, Any]]) -> dict[str, int]:
    """Best one-to-one type-compatible assignment; counts for slot P/R/F1 and type accuracy."""
    n_p, n_g = len(preds), len(golds)
    best: tuple[int, int, int, int] | None = None  # (tp, -fp-fn, ...)
    best_pairs: list[tuple[int, int]] = []
    small = max(n_p, n_g) <= 6
    if small:
        candidates = []
        if n_p <= n_g:
            for perm in permutations(range(n_g), n_p):
                candidates.append(list(zip(range(n_p), perm, strict=True)))
        else:
            for perm in permutations(range(n_p), n_g):
                candidates.append(list(zip(perm, range(n_g), strict=True)))
    else:  # greedy for unusually many templates
        candidates = [[(i, i) for i in range(min(n_p, n_g))]]
    for cand in candidates or [[]]:
        pairs = [(i, j) for i, j in cand if preds[i]["incident_type"] in _types(golds[j])]
        tp = sum(_pair_score(preds[i], golds[j])[0] for i, j in pairs)
        key = (tp, len(pairs), 0, 0)
        if best is None or key > best:
            best, best_pairs = key, pairs
    counts = {"tp": 0, "fp": 0, "fn": 0, "type_ok": 0, "type_n": 0}
    matched_p = {i for i, _ in best_pairs}
    matched_g = {j for _, j in best_pairs}
    for i, j in best_pairs:
        tp, fp, fn = _pair_score(preds[i], golds[j])
        counts["tp"] += tp
        counts["fp"] += fp
        counts["fn"] += fn
    for i, p in enumerate(preds):
        if i not in matched_p:
            counts["fp"] += sum(len(p.get(r, [])) for r in ROLES)
    for j, g in enumerate(golds):
        if j not in matched_g and not g.get("optional"):
            counts["fn"] += sum(len([f for f in g.get(r) or [] if f]) for r in ROLES)
    if preds:
        for j, g in enumerate(golds):
            if g.get("optional") and j not in matched_g:
                continue
            counts["type_n"] += 1
            counts["type_ok"] += int(j in matched_g)
    return counts


def run(gold_path: Path, errors: int = 0, settings: Any = None) -> EvalReport:
    """Code every document once and score its templates (the wire copy's capitals are restored by the
    coder, or by :func:`truecase` when ``case_restore`` is off)."""
    from ..events import load_patterns
    from ..pipeline import Coder, Failure

    items = list(read_gold(Path(gold_path)))
    for item in items:
        if not isinstance(item.get("text"), str) or not isinstance(item.get("templates"), list):
            raise EvalError(f"{gold_path}: item {item.get('id')!r} needs 'text' and a 'templates' list")
    if not items:
        raise EvalError(f"{gold_path}: no gold items")
    weapons = load_patterns().lexicon.get("weapons", frozenset())
    coder = Coder(settings)
    prepare = truecase if coder.settings.case_restore == "off" else wire_text
    results = code_items(coder, [(prepare(it["text"]) or "(empty)", str(it.get("id", i)), None)
                                 for i, it in enumerate(items)])
    tot = {"tp": 0, "fp": 0, "fn": 0, "type_ok": 0, "type_n": 0}
    rel = {"tp": 0, "fp": 0, "fn": 0}
    wrong: list[dict[str, Any]] = []
    failures = 0
    for item, result in zip(items, results, strict=True):
        if isinstance(result, Failure):
            failures += 1
            preds: list[dict[str, Any]] = []
        else:
            preds = predict_templates(result.text, result.events, weapons)
        golds = item["templates"]
        counts = score_document(preds, golds)
        for k in tot:
            tot[k] += counts[k]
        g_rel, p_rel = bool(golds), bool(preds)
        rel["tp"] += int(g_rel and p_rel)
        rel["fp"] += int(p_rel and not g_rel)
        rel["fn"] += int(g_rel and not p_rel)
        if (counts["fp"] or counts["fn"]) and len(wrong) < errors:
            wrong.append({"id": item.get("id"), "text": item["text"][:400],
                          "gold": [{"incident_type": g.get("incident_type"),
                                    **{r: [a[0] for a in g.get(r) or [] if a] for r in ROLES}} for g in golds],
                          "predicted": preds})
    p, r, f = prf(tot["tp"], tot["fp"], tot["fn"])
    rp, rr, rf = prf(rel["tp"], rel["fp"], rel["fn"])
    metrics: dict[str, Any] = {
        "items": len(items), "failures": failures,
        "slot_precision": round(p, 4), "slot_recall": round(r, 4), "slot_f1": round(f, 4),
        "incident_type_accuracy": round(tot["type_ok"] / tot["type_n"], 4) if tot["type_n"] else 0.0,
        "relevance_precision": round(rp, 4), "relevance_recall": round(rr, 4), "relevance_f1": round(rf, 4),
    }
    rows = [("documents", str(len(items))),
            ("slot P / R / F1", f"{p:.3f} / {r:.3f} / {f:.3f}"),
            ("incident-type accuracy", f"{metrics['incident_type_accuracy']:.3f} (n={tot['type_n']})"),
            ("relevance P / R / F1", f"{rp:.3f} / {rr:.3f} / {rf:.3f}")]
    return EvalReport(task="muc4", metrics=metrics, rows=rows, errors=wrong)
