"""Scoring an edition against a synthetic truth (and a perfect edition made from the truth)."""

from __future__ import annotations

import argparse
import functools
import glob
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence




def truth_to_edition(truth: dict) -> dict:
    """The edition dict a perfect ``reissue build`` would produce for this truth (fields the
    scorer reads, in the ``reissue-edition/1`` shape)."""
    pages = [{"index": p["index"], "source": p["name"], "number": p["number"],
              "number_source": "folio" if p["folio"] else "sequence",
              "furniture": [{"kind": f["kind"], "text": f["text"], "line": f["line"]} for f in p["furniture"]]}
             for p in truth["pages"]]
    paras = [{"id": f"p{p['index']}", "kind": p["kind"], "text": p["text"],
              "pages": p["page_numbers"]} for p in truth["paragraphs"]]
    notes = []
    for n in truth["footnotes"]:
        words = truth["paragraphs"][n["paragraph"]]["text"].split(" ")
        callout = len(" ".join(words[: n["callout_word"] + 1]))
        notes.append({"id": f"n{n['id']}", "marker": n["marker"], "text": n["text"],
                      "page": n["page_number"], "page_index": n["page"],
                      "paragraph": f"p{n['paragraph']}", "callout": callout})
    edits = []
    for h in truth["hyphens"]:
        if h["kind"] == "join":
            edits.append({"stage": "reflow", "rule": "hyphen-join", "page": h["page"], "start": h["offset"],
                          "end": h["offset"] + len(h["char"]) + 1, "before": h["char"] + "\n", "after": "",
                          "superseded_by": None})
        else:
            s = h["offset"] + len(h["char"])
            edits.append({"stage": "reflow", "rule": "hyphen-keep", "page": h["page"], "start": s,
                          "end": s + 1, "before": "\n", "after": "", "superseded_by": None})
    arts = [{"id": f"a{k + 1}", "title": a["title"], "byline": a["byline"], "section": a.get("section"),
             "pages": a["pages"], "paragraphs": [f"p{i}" for i in a["paragraphs"]]}
            for k, a in enumerate(truth.get("articles", []))]
    return {"format": "reissue-edition/1", "metadata": dict(truth["metadata"]), "pages": pages,
            "paragraphs": paras, "footnotes": notes, "edits": edits, "problems": [], "articles": arts}


# ----------------------------------------------------------------------------------------------
# scoring an edition against the truth

_WORD_STRIP = re.compile(r"[^\w]|_")
_CALLOUT_DIGITS = re.compile(r"(?<=[a-z])\d{1,2}$")


def _norm_word(tok: str) -> str:
    w = _WORD_STRIP.sub("", tok.lower())
    return _CALLOUT_DIGITS.sub("", w)


def _words(text: str) -> list[str]:
    out = []
    for tok in text.split():
        w = _norm_word(tok)
        if w:
            out.append(w)
    return out


def _norm_text(text: str) -> str:
    return " ".join(_words(text))


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _align(truth_words: list[str], pred_words: list[str]) -> tuple[list[int], int]:
    """For every predicted word, the truth word position it aligns to (an inserted word maps to
    the next truth word); plus the number of exactly equal aligned words."""
    from rapidfuzz.distance import Levenshtein

    m = [0] * len(pred_words)
    equal = 0
    for op in Levenshtein.opcodes(truth_words, pred_words):
        ts, te, ps, pe = op.src_start, op.src_end, op.dest_start, op.dest_end
        if op.tag == "equal":
            equal += te - ts
        for k in range(ps, pe):
            if op.tag in ("equal", "replace") and te > ts:
                m[k] = min(ts + (k - ps), te - 1)
            else:
                m[k] = ts
    return m, equal


def _title_key(s) -> str:
    return " ".join(str(s).casefold().split()) if s is not None else ""


def score_edition(edition: dict, truth: dict) -> dict:
    """Grade an edition dict (``document_to_dict`` shape) against a synthetic issue's truth.

    Every section holds raw ``counts`` (so several issues can be summed by
    :func:`aggregate_scores`) and the derived rates."""
    from rapidfuzz import fuzz

    out: dict = {}
    tpages = truth["pages"]
    epages = edition.get("pages", [])
    # ---- furniture (line level, and by kind)
    tset = {(p["index"], f["line"]): f["kind"] for p in tpages for f in p["furniture"]}
    blank = {(p["index"], li) for p in tpages for li in p["blank_lines"]}
    pset = {}
    for i, p in enumerate(epages):
        for f in p.get("furniture", []):
            key = (p.get("index", i), f.get("line"))
            if key not in blank:  # a blank line called furniture costs nothing
                pset[key] = f.get("kind")
    tp = len(set(tset) & set(pset))
    fc = {"tp": tp, "fp": len(pset) - tp, "fn": len(tset) - tp, "by_kind": {}, "confusion": {}}
    for key in set(tset) | set(pset):
        pair = f"{tset.get(key, '(body)')} -> {pset.get(key, '(body)')}"
        fc["confusion"][pair] = fc["confusion"].get(pair, 0) + 1
    kinds = sorted(set(tset.values()) | {k for k in pset.values() if k})
    for k in kinds:
        tk = {key for key, v in tset.items() if v == k}
        pk = {key for key, v in pset.items() if v == k}
        fc["by_kind"][k] = {"tp": len(tk & pk), "fp": len(pk - tk), "fn": len(tk - pk),
                            "found_any_kind": len(tk & set(pset))}
    out["furniture"] = {"counts": fc}
    # ---- page numbers
    pn = {"total": 0, "ok": 0, "folio_total": 0, "folio_ok": 0, "nofolio_total": 0, "nofolio_ok": 0}
    for tp_ in tpages:
        i = tp_["index"]
        got = epages[i].get("number") if i < len(epages) else None
        ok = got == tp_["number"]
        pn["total"] += 1
        pn["ok"] += ok
        key = "folio" if tp_["folio"] is not None else "nofolio"
        pn[key + "_total"] += 1
        pn[key + "_ok"] += ok
    out["page_numbers"] = {"counts": pn}
    # ---- metadata
    md = {"total": 0, "ok": 0, "spurious": 0, "fields": {}}
    emd = edition.get("metadata") or {}
    for k, tv in truth["metadata"].items():
        pv = emd.get(k)
        if tv is None:
            md["spurious"] += pv is not None and k != "page_count"
            continue
        if k == "title":
            ok = _title_key(pv) == _title_key(tv)
        else:
            try:
                ok = pv is not None and int(pv) == int(tv)
            except (TypeError, ValueError):
                ok = False
        md["total"] += 1
        md["ok"] += ok
        md["fields"][k] = {"total": 1, "ok": int(ok)}
    out["metadata"] = {"counts": md}
    # ---- line-end hyphens (from the edits)
    hy_edits: dict[int, list] = {}
    for e in edition.get("edits", []):
        if e.get("rule") in ("hyphen-join", "hyphen-keep"):
            hy_edits.setdefault(e.get("page"), []).append(e)
    hc = {"join_total": 0, "join_ok": 0, "keep_total": 0, "keep_ok": 0, "cross_total": 0,
          "cross_ok": 0, "undecided": 0, "failures": []}
    for h in truth["hyphens"]:
        pos = h["offset"] + len(h["char"])  # just after the hyphen char
        got = None
        for e in hy_edits.get(h["page"], []):
            if e["start"] <= pos <= e["end"] and e["end"] > h["offset"] and e["start"] >= h["offset"] - 1:
                got = "join" if e["rule"] == "hyphen-join" else "keep"
                break
        ok = got == h["kind"]
        hc[h["kind"] + "_total"] += 1
        hc[h["kind"] + "_ok"] += ok
        if h.get("cross_page"):
            hc["cross_total"] += 1
            hc["cross_ok"] += ok
        if got is None:
            hc["undecided"] += 1
        if not ok:
            hc["failures"].append({"page": h["page"], "line": h["line"], "word": h["word"],
                                   "expected": h["kind"], "got": got, "cross_page": h.get("cross_page")})
    out["hyphens"] = {"counts": hc}
    # ---- paragraphs: align word streams
    t_words: list[str] = []
    t_para_of: list[int] = []
    t_starts: dict[int, int] = {}
    for p in truth["paragraphs"]:
        ws = _words(p["text"])
        if not ws:
            continue
        t_starts[len(t_words)] = p["index"]
        t_words.extend(ws)
        t_para_of.extend([p["index"]] * len(ws))
    p_words: list[str] = []
    p_starts: list[tuple[int, dict]] = []
    p_first_word: dict[str, int] = {}
    for para in edition.get("paragraphs", []):
        ws = _words(para.get("text", ""))
        p_first_word[para.get("id")] = len(p_words)
        if not ws:
            continue
        p_starts.append((len(p_words), para))
        p_words.extend(ws)
    amap, equal = _align(t_words, p_words) if t_words and p_words else ([0] * len(p_words), 0)
    truth_b = set(t_starts) - {0}
    pred_b = [amap[j] for j, _ in p_starts if j > 0]
    ptp = len(truth_b & set(pred_b))
    visible_cues = {"blank", "indent", "dropcap", "heading", "short-line"}
    vis = {pos for pos in truth_b if visible_cues & set(truth["paragraphs"][t_starts[pos]].get("cues", []))}
    # article titles must come out as headings; a byline only has to be a paragraph of its own
    heading_total = sum(1 for p in truth["paragraphs"] if p["kind"] == "heading" and p.get("role") != "byline")
    start_kind = {}
    for j, para in p_starts:
        start_kind.setdefault(amap[j] if j < len(amap) else -1, para.get("kind"))
    heading_ok = sum(1 for pos, pi in t_starts.items()
                     if truth["paragraphs"][pi]["kind"] == "heading" and truth["paragraphs"][pi].get("role") != "byline"
                     and start_kind.get(pos) == "heading")
    # paragraphs that run over a page break must not be broken there
    pb_total = pb_kept = 0
    pb_fail: list[dict] = []
    pos_of = {pi: pos for pos, pi in t_starts.items()}
    pred_bset = set(pred_b)
    for tpara in truth["paragraphs"]:
        words = tpara["text"].split()
        for _pg, wi in tpara.get("page_breaks", []):
            if tpara["index"] not in pos_of or wi <= 0:
                continue
            pos = pos_of[tpara["index"]] + len(_words(" ".join(words[:wi])))
            pb_total += 1
            near = {pos} if pos + 1 in truth_b or pos + 1 >= len(t_words) else {pos, pos + 1}
            kept = not (near & pred_bset)
            pb_kept += kept
            if not kept and len(pb_fail) < 50:
                pb_fail.append({"type": "broken-at-page-break", "paragraph": tpara["index"], "page": _pg,
                                "at": " ".join(words[max(0, wi - 3):wi + 4])})
    pc = {"tp": ptp, "fp": len(pred_b) - ptp, "fn": len(truth_b) - ptp,
          "page_break_total": pb_total, "page_break_kept": pb_kept,
          "truth_paragraphs": len(t_starts), "pred_paragraphs": len(p_starts),
          "truth_words": len(t_words), "pred_words": len(p_words), "equal_words": equal,
          "heading_total": heading_total, "heading_ok": heading_ok,
          "visible_total": len(vis), "visible_tp": len(vis & set(pred_b)),
          "hidden_total": len(truth_b - vis), "hidden_tp": len((truth_b - vis) & set(pred_b)),
          "failures": []}
    # concrete failures: missed boundaries and false ones (page of the truth paragraph)
    pred_set = set(pred_b)
    for pos in sorted(truth_b - pred_set)[:50]:
        tpara = truth["paragraphs"][t_starts[pos]]
        pc["failures"].append({"type": "missed-boundary", "paragraph": tpara["index"],
                               "page": tpara["pages"][0], "line": tpara.get("first_line", [None, None])[1],
                               "cues": tpara.get("cues"), "starts": " ".join(tpara["text"].split()[:6])})
    for pos in sorted(pred_set - truth_b)[:50]:
        tpara = truth["paragraphs"][t_para_of[min(pos, len(t_para_of) - 1)]] if t_para_of else None
        pc["failures"].append({"type": "false-boundary", "paragraph": tpara["index"] if tpara else None,
                               "page": tpara["pages"][0] if tpara else None,
                               "at": " ".join(t_words[pos:pos + 6])})
    pc["failures"].extend(pb_fail)
    out["paragraphs"] = {"counts": pc}
    out["articles"] = {"counts": _article_counts(edition, truth, t_starts, amap, p_first_word)}
    # ---- footnotes
    tnotes = truth["footnotes"]
    pnotes = edition.get("footnotes", [])
    pid_index = {para.get("id"): k for k, para in enumerate(edition.get("paragraphs", []))}
    pairs = []
    for ti, tn in enumerate(tnotes):
        tt = _norm_text(tn["text"])
        for pi, pnn in enumerate(pnotes):
            s = fuzz.ratio(tt, _norm_text(pnn.get("text", ""))) / 100.0
            if pnn.get("page_index", pnn.get("page")) == tn["page"]:
                s += 0.001  # prefer the same page on ties
            if s >= 0.5:
                pairs.append((s, ti, pi))
    pairs.sort(reverse=True)
    used_t, used_p, match = set(), set(), {}
    for s, ti, pi in pairs:
        if ti in used_t or pi in used_p:
            continue
        used_t.add(ti)
        used_p.add(pi)
        match[ti] = (pi, min(s, 1.0))
    note_pages = {pg for tn in tnotes for pg in tn.get("pages", [tn["page"]])}
    free_pages = {p["index"] for p in truth["pages"]} - note_pages
    false_free = [pn for pn in pnotes if pn.get("page_index", pn.get("page")) in free_pages]
    nc = {"truth": len(tnotes), "pred": len(pnotes), "found": len(match), "marker_ok": 0,
          "page_ok": 0, "linked_ok": 0, "sim_sum": 0.0, "continued_total": 0, "continued_joined": 0,
          "free_pages": len(free_pages), "free_pages_clean": len(free_pages - {pn.get("page_index", pn.get("page")) for pn in false_free}),
          "false_on_free_pages": len(false_free), "failures": []}
    for ti, tn in enumerate(tnotes):
        if tn["continued"]:
            nc["continued_total"] += 1
        if ti not in match:
            nc["failures"].append({"type": "not-found", "page": tn["page"], "marker": tn["marker"],
                                   "starts": " ".join(tn["text"].split()[:6])})
            continue
        pi, s = match[ti]
        pnn = pnotes[pi]
        nc["sim_sum"] += s
        mk = lambda m: str(m or "").strip().strip("()").strip()  # noqa: E731
        mok = mk(pnn.get("marker")) == mk(tn["marker"])
        nc["marker_ok"] += mok
        nc["page_ok"] += pnn.get("page_index", pnn.get("page")) == tn["page"]
        linked = None
        pid = pnn.get("paragraph")
        if pid in p_first_word and pid in pid_index and amap:
            para = edition["paragraphs"][pid_index[pid]]
            j0 = p_first_word[pid]
            co = pnn.get("callout")
            if co is not None:
                j = j0 + max(0, len(_words(para.get("text", "")[:co])) - 1)
                if j < len(amap):
                    linked = t_para_of[amap[j]] if amap[j] < len(t_para_of) else None
            if linked is None:
                n = len(_words(para.get("text", "")))
                tps = [t_para_of[amap[k]] for k in range(j0, min(j0 + n, len(amap))) if amap[k] < len(t_para_of)]
                linked = max(set(tps), key=tps.count) if tps else None
        lok = linked == tn["paragraph"]
        nc["linked_ok"] += lok
        joined = True
        if tn["continued"]:
            ptxt = _norm_text(pnn.get("text", ""))
            parts = tn.get("parts") or [tn["text"]]
            joined = all(fuzz.partial_ratio(_norm_text(x), ptxt) >= 80 for x in parts if _norm_text(x))
            nc["continued_joined"] += joined
        if not (mok and lok and joined and s >= 0.8):
            nc["failures"].append({"type": "imperfect", "page": tn["page"], "marker": tn["marker"],
                                   "got_marker": pnn.get("marker"), "similarity": round(s, 3),
                                   "linked": lok, "continued": tn["continued"], "joined": joined})
    out["footnotes"] = {"counts": nc}
    return _derive(out)


def _derive(out: dict) -> dict:
    """(Re)compute the rates of every section from its counts."""
    fc = out["furniture"]["counts"]
    out["furniture"].update(_prf(fc["tp"], fc["fp"], fc["fn"]))
    out["furniture"]["by_kind"] = {k: {**_prf(v["tp"], v["fp"], v["fn"]),
                                       "detected_any_kind": _ratio(v["found_any_kind"], v["tp"] + v["fn"])}
                                   for k, v in fc["by_kind"].items()}
    pn = out["page_numbers"]["counts"]
    out["page_numbers"].update(accuracy=_ratio(pn["ok"], pn["total"]),
                               with_folio=_ratio(pn["folio_ok"], pn["folio_total"]),
                               without_folio=_ratio(pn["nofolio_ok"], pn["nofolio_total"]))
    md = out["metadata"]["counts"]
    out["metadata"].update(accuracy=_ratio(md["ok"], md["total"]),
                           fields={k: _ratio(v["ok"], v["total"]) for k, v in md["fields"].items()},
                           spurious=md["spurious"])
    hc = out["hyphens"]["counts"]
    out["hyphens"].update(accuracy=_ratio(hc["join_ok"] + hc["keep_ok"], hc["join_total"] + hc["keep_total"]),
                          join=_ratio(hc["join_ok"], hc["join_total"]),
                          keep=_ratio(hc["keep_ok"], hc["keep_total"]),
                          cross_page=_ratio(hc["cross_ok"], hc["cross_total"]))
    pc = out["paragraphs"]["counts"]
    out["paragraphs"].update(_prf(pc["tp"], pc["fp"], pc["fn"]))
    out["paragraphs"].update(word_recall=_ratio(pc["equal_words"], pc["truth_words"]),
                             word_precision=_ratio(pc["equal_words"], pc["pred_words"]),
                             headings=_ratio(pc["heading_ok"], pc["heading_total"]),
                             recall_visible=_ratio(pc["visible_tp"], pc["visible_total"]),
                             page_break_kept=_ratio(pc["page_break_kept"], pc["page_break_total"]),
                             recall_hidden=_ratio(pc["hidden_tp"], pc["hidden_total"]))
    nc = out["footnotes"]["counts"]
    out["footnotes"].update(recall=_ratio(nc["found"], nc["truth"]),
                            precision=_ratio(nc["found"], nc["pred"]) if nc["pred"] else (1.0 if not nc["truth"] else 0.0),
                            marker=_ratio(nc["marker_ok"], nc["found"]),
                            page=_ratio(nc["page_ok"], nc["found"]),
                            linked=_ratio(nc["linked_ok"], nc["found"]),
                            text_similarity=_ratio(nc["sim_sum"], nc["found"]),
                            continued_joined=_ratio(nc["continued_joined"], nc["continued_total"]),
                            free_pages_clean=_ratio(nc.get("free_pages_clean", 0), nc.get("free_pages", 0)))
    if "articles" in out:
        ac = out["articles"]["counts"]
        out["articles"].update(_prf(ac["tp"], ac["fp"], ac["fn"]))
        out["articles"].update(title=_ratio(ac["title_ok"], ac["matched"]), byline=_ratio(ac["byline_ok"], ac["matched"]))
    return out


def _akey(s) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(s).casefold()).split()) if s else ""


def _article_counts(edition: dict, truth: dict, t_starts: dict, amap: list, p_first_word: dict) -> dict:
    """Article boundaries (where an article starts, as a word position of the truth; the start of
    the issue does not count) and, for each truth article whose start is found, title and byline."""
    c = {"tp": 0, "fp": 0, "fn": 0, "matched": 0, "title_ok": 0, "byline_ok": 0, "failures": []}
    tarts = truth.get("articles")
    if tarts is None:
        return c
    pos_of = {pi: pos for pos, pi in t_starts.items()}
    t_at = {}
    for a in tarts:
        first = next((pi for pi in a["paragraphs"] if pi in pos_of), None)
        if first is not None:
            t_at.setdefault(pos_of[first], a)
    p_at = {}
    nwords = len(amap)
    for a in edition.get("articles") or []:
        for pid in a.get("paragraphs", []):
            j = p_first_word.get(pid)
            if j is not None and j < nwords:
                p_at.setdefault(0 if j == 0 else amap[j], a)
                break
    tb, pb = set(t_at) - {0}, set(p_at) - {0}
    c["tp"], c["fp"], c["fn"] = len(tb & pb), len(pb - tb), len(tb - pb)
    for pos, ta in t_at.items():
        pa = p_at.get(pos)
        if pa is None:
            c["failures"].append({"type": "article-start-missed", "title": ta["title"], "pages": ta["pages"]})
            continue
        c["matched"] += 1
        got = {_akey(pa.get("title")), _akey(pa.get("section"))} - {""} or {""}
        ok_t = _akey(ta["title"]) in got
        ok_b = _akey(ta["byline"]) == _akey(pa.get("byline"))
        c["title_ok"] += ok_t
        c["byline_ok"] += ok_b
        if not (ok_t and ok_b) and len(c["failures"]) < 50:
            c["failures"].append({"type": "article-title", "expected": [ta["title"], ta["byline"]],
                                  "got": [pa.get("title"), pa.get("section"), pa.get("byline")]})
    for pos in sorted(pb - tb)[:20]:
        c["failures"].append({"type": "article-start-false", "title": p_at[pos].get("title")})
    return c


def aggregate_scores(scores: Sequence[dict]) -> dict:
    """Sum the counts of several :func:`score_edition` results (micro averages)."""
    if not scores:
        raise ValueError("no scores to aggregate")
    agg = json.loads(json.dumps({k: {"counts": v["counts"]} for k, v in scores[0].items()}))
    for s in scores[1:]:
        for sec, v in s.items():
            _add_counts(agg[sec]["counts"], v["counts"])
    return _derive(agg)


def _add_counts(a: dict, b: dict):
    for k, v in b.items():
        if isinstance(v, dict):
            _add_counts(a.setdefault(k, {}), v)
        elif isinstance(v, list):
            a.setdefault(k, []).extend(v)
        else:
            a[k] = a.get(k, 0) + v


# ----------------------------------------------------------------------------------------------
# command line
