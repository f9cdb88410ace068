"""A second synthetic generator, written apart from :mod:`synth.gen` and different on purpose.

What differs from the first generator (so that rules tuned on one are checked on the other):

* heads on both pages: the verso head is the journal's title with the month and year, the recto
  head the article's title in Title Case; or no recto head at all;
* folios centred at the foot (``— 12 —``, ``- 12 -``, ``Page 12``) or at the outer end of the head line;
* a contents page first (``Title, by Author ...... 5``), section kickers over titles (``FICTION``),
  bylines in small capitals after the title (``by JANE MORROW``) or an author line closing the
  article (``— J. R. Ashby``);
* no footnotes at all, but things that look like notes: starred notices, price lists with numbers,
  rules between items, catch-words at the page foot;
* other noise: dropped and doubled letters, case flips, stray spaces inside words, no hyphenation.

The truth has the shape of :mod:`synth.gen`'s (``reissue-synth-truth/1``), so
:func:`synth.score.score_edition` scores editions against it.
"""

from __future__ import annotations

import random

from .gen import SynthIssue
from .text import load_text_source

_J1 = ["Meridian", "Harbour", "Lantern", "Crescent", "Granite", "Orchard", "Beacon", "Compass"]
_J2 = ["Monthly", "Gazette", "Miscellany", "Companion", "Register", "Magazine"]
_W1 = ["Silent", "Distant", "Narrow", "Crowded", "Patient", "Golden", "Bitter", "Stubborn", "Empty"]
_W2 = ["Harbour", "Ledger", "Lighthouse", "Orchard", "Parish", "Railway", "Weather", "Bridge", "Market"]
_KICKERS = ["FICTION", "ESSAY", "TRAVEL", "FROM OUR CORRESPONDENT", "REMINISCENCE", "THE STAGE"]
_FIRST = ["Jane", "Oliver", "Agnes", "Henry", "Clara", "Robert", "Lucy", "Thomas", "Eleanor"]
_LAST = ["Morrow", "Pembridge", "Calloway", "Thorne", "Ashdown", "Kettering", "Ravel", "Dunmore"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October"]
_GOODS = ["Tea, finest Souchong", "Coffee, Mocha", "Sugar, loaf", "Candles, wax", "Soap, brown", "Rice, Carolina"]


def _layout(rng: random.Random) -> dict:
    return {"width": rng.randint(48, 70), "lines": rng.randint(30, 44),
            "para": rng.choice(["indent", "blank"]), "folio": rng.choice(["dash", "hyphen", "page", "head"]),
            "recto": rng.choice(["article", "article", "none"]), "toc": rng.random() < 0.7,
            "byline": rng.choice(["small-caps", "end"]), "kicker_rate": rng.choice([0.0, 0.5]),
            "extras": rng.random() < 0.7, "noise": rng.choice([0.0, 0.01, 0.03])}


def _noise(rng: random.Random, text: str, rate: float) -> str:
    out = []
    for w in text.split(" "):
        if len(w) > 3 and rng.random() < rate:
            k = rng.randrange(1, len(w) - 1)
            op = rng.randrange(3)
            w = (w[:k] + w[k + 1:]) if op == 0 else (w[:k] + w[k] + w[k:]) if op == 1 else (w[:k] + " " + w[k:])
        out.append(w)
    return " ".join(out)


def _wrap(words: list[str], width: int, indent: str) -> list[tuple[str, int]]:
    """Lines of ``words`` (no hyphenation) with the index of each line's first word."""
    lines, cur, first = [], indent, 0
    for i, w in enumerate(words):
        if cur.strip() and len(cur) + 1 + len(w) > width:
            lines.append((cur, first))
            cur, first = w, i
        else:
            cur = (cur + " " + w) if cur.strip() else cur + w
    if cur.strip():
        lines.append((cur, first))
    return lines


def generate_alt_issue(seed: int, n_pages: int = 16, *, text_source=None) -> SynthIssue:
    """One issue of the second generator with its truth (deterministic for a seed)."""
    rng = random.Random(f"alt-{seed}")
    lay = _layout(rng)
    src = load_text_source(text_source)
    used: set = set()
    journal = f"The {rng.choice(_J1)} {rng.choice(_J2)}"
    month, year = rng.choice(_MONTHS), rng.randint(1870, 1935)
    first_no = rng.choice([1, 1, rng.randint(2, 300)])
    # content: a list of blocks (kind, role, words, article)
    arts = []
    titles = rng.sample([f"The {a} {b}" for a in _W1 for b in _W2], 6)
    for a in range(rng.randint(3, 6)):
        arts.append({"title": titles[a], "author": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                     "kicker": rng.choice(_KICKERS) if rng.random() < lay["kicker_rate"] else None})
    pages: list[list[tuple[str, str, dict]]] = [[]]  # lines (kind, text, info) per page; kind body|blank|heading
    paras: list[dict] = []
    width, cap = lay["width"], lay["lines"]

    def room(n=1):
        if sum(1 for k, _, _ in pages[-1]) + n > cap:
            if len(pages) >= n_pages:
                raise StopIteration
            pages.append([])

    def put_block(kind, role, text, art, cues):
        words = text.split()
        idx = len(paras)
        indent = "  " if (kind == "paragraph" and lay["para"] == "indent") else ""
        wrapped = _wrap(words, width - rng.randint(0, 4), indent) if kind == "paragraph" else [(text.center(width).rstrip() if role != "byline" else text, 0)]
        if lay["para"] == "blank" or kind != "paragraph":
            if pages[-1]:
                room()
                pages[-1].append(("blank", "", {}))
        rec = {"index": idx, "kind": "heading" if kind != "paragraph" else "paragraph", "role": role,
               "text": " ".join(words), "article": art, "cues": cues, "dropcap": False, "callouts": [],
               "page_breaks": [], "pages": []}
        paras.append(rec)
        for li, (line, w0) in enumerate(wrapped):
            room()
            if not rec["pages"] or rec["pages"][-1] != len(pages) - 1:
                if rec["pages"]:
                    rec["page_breaks"].append([len(pages) - 1, w0])
                rec["pages"].append(len(pages) - 1)
            pages[-1].append(("body" if kind == "paragraph" else "heading", line, {"para": idx, "first": li == 0}))

    toc_pages = 0
    try:
        if lay["toc"]:
            pages[-1].append(("heading", "CONTENTS".center(width).rstrip(), {"toc": True}))
            pages[-1].append(("blank", "", {}))
            pg = first_no + 1
            for a in arts:
                entry = f"{a['title']}, by {a['author']}"
                pages[-1].append(("toc", entry + " " + "." * max(3, width - len(entry) - 6) + f" {pg}", {}))
                pg += rng.randint(2, 4)
            pages.append([])
            toc_pages = 1
        for ai, a in enumerate(arts):
            if a["kicker"]:
                put_block("heading", "kicker", a["kicker"], ai, ["heading"])
            put_block("heading", "title", a["title"], ai, ["heading"])
            if lay["byline"] == "small-caps":
                put_block("heading", "byline", f"by {a['author'].upper()}", ai, ["heading"])
            for k in range(rng.randint(4, 12)):
                put_block("paragraph", None, _noise(rng, src.paragraph(rng, rng.randint(2, 6), used), 0.0), ai,
                          ["indent"] if lay["para"] == "indent" else ["blank"])
                if lay["extras"] and rng.random() < 0.12:
                    extra = rng.choice(["notice", "prices"])
                    if extra == "notice":
                        put_block("paragraph", None, f"* NOTICE. Subscribers in {rng.choice(_W2)} Street will receive "
                                  f"the {rng.choice(_MONTHS)} number on the {rng.randint(2, 28)}th.", ai, ["blank"])
                    else:
                        for g in rng.sample(_GOODS, 3):
                            put_block("paragraph", None, f"{g}, per lb. {rng.randint(1, 3)}s. {rng.randint(1, 11)}d.", ai,
                                      ["blank"])
            if lay["byline"] == "end":
                put_block("heading", "byline", f"— {a['author']}", ai, ["heading"])
    except StopIteration:
        pass
    # pages with furniture and noise
    out_pages, pages_truth = [], []
    art_of_page: dict[int, int] = {}
    for p in paras:
        for pg in p["pages"]:
            art_of_page.setdefault(pg, p["article"])
    for pi, lines in enumerate(pages):
        number = first_no + pi
        verso = number % 2 == 0
        top, bottom = [], []
        folio = str(number)
        if True:  # every page has its furniture, the contents page too
            if verso:
                head = f"{journal.upper()}, {month.upper()} {year}"
            else:
                a = art_of_page.get(pi)
                head = arts[a]["title"] if (lay["recto"] == "article" and a is not None) else None
            if head is not None and lay["folio"] == "head":
                head = f"{folio}  {head}" if verso else f"{head}  {folio}"
            if head is not None:
                top.append(("running-head", head))
            if lay["folio"] != "head" or head is None:
                f = {"dash": f"— {folio} —", "hyphen": f"- {folio} -", "page": f"Page {folio}", "head": folio}[lay["folio"]]
                bottom.append(("folio", f.center(width).rstrip()))
        all_lines = [(k, t, {}) for k, t in top] + [("blank", "", {})] + lines
        if lay["extras"] and lines and rng.random() < 0.3 and pi + 1 < len(pages) and pages[pi + 1]:
            nxt = next((t for k, t, _ in pages[pi + 1] if k == "body"), None)
            if nxt:
                all_lines.append(("catch", nxt.split()[0], {}))  # a catch-word: the next page's first word
        all_lines += [("blank", "", {})] + [(k, t, {}) for k, t in bottom]
        raw_lines, furn, body_idx, head_idx, blank_idx = [], [], [], [], []
        for li, (k, t, info) in enumerate(all_lines):
            if k in ("body", "toc", "catch"):
                t = _noise(rng, t, lay["noise"]) if k == "body" else t
            raw_lines.append(t)
            if k in ("running-head", "folio", "catch"):
                # a catch-word is furniture: no paragraph holds it (the word is read on the next page)
                furn.append({"line": li, "kind": {"catch": "catch-word"}.get(k, k), "text": t})
            elif k == "blank":
                blank_idx.append(li)
            elif k == "heading":
                head_idx.append(li)
            else:
                body_idx.append(li)
            if info.get("first") and "para" in info and "first_line" not in paras[info["para"]]:
                paras[info["para"]]["first_line"] = [pi, li]
        if lay["folio"] == "head" and not any(f["kind"] == "folio" for f in furn) and furn:
            furn[0]["kind"] = "running-head"
        raw = "\n".join(raw_lines) + "\n"
        name = f"page-{pi + 1:03d}.txt"
        out_pages.append((name, raw))
        pages_truth.append({"index": pi, "name": name, "number": number, "folio": folio, "verso": verso,
                            "furniture": furn, "body_lines": body_idx, "heading_lines": head_idx, "note_lines": [],
                            "blank_lines": blank_idx, "line_count": len(raw_lines)})
    for p in paras:
        p["page_numbers"] = [first_no + pg for pg in p["pages"]]
        p.setdefault("first_line", [p["pages"][0] if p["pages"] else 0, 0])
    paras = [p for p in paras if p["pages"]]
    articles = []
    for p in paras:
        if not articles or articles[-1]["_a"] != p["article"]:
            a = arts[p["article"]]
            articles.append({"_a": p["article"], "title": a["title"],
                             "byline": a["author"] if any(q["role"] == "byline" and q["article"] == p["article"] for q in paras) else None,
                             "section": a["kicker"], "pages": [], "paragraphs": []})
        articles[-1]["paragraphs"].append(p["index"])
        for pg in p["pages"]:
            if pg not in articles[-1]["pages"]:
                articles[-1]["pages"].append(pg)
    for a in articles:
        del a["_a"]
    truth = {"format": "reissue-synth-truth/1", "generator": "alt", "seed": seed, "text_source": src.origin,
             "metadata": {"title": journal, "volume": None, "number": None, "year": year, "page_count": None},
             "page_count": len(out_pages), "layout": lay, "pages": pages_truth, "paragraphs": paras,
             "hyphens": [], "footnotes": [], "articles": articles,
             "contents": [{"title": a["title"], "author": a["author"]} for a in arts] if lay["toc"] else []}
    return SynthIssue(out_pages, truth, dict(lay))


__all__ = ["generate_alt_issue"]
