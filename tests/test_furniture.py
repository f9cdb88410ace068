"""Page furniture: found by position, form, repetition and sequence; kept on its page."""

from pagekit import body, build


def issue(n=6, first=11, head_even="THE MONTHLY REVIEW", head_odd="NOTES ON BOOKS", folio_at="top",
          extra_top=None, extra_bottom=None, misread=None, missing=None):
    pages = []
    for i in range(n):
        num = first + i
        folio = str(num)
        if misread and i in misread:
            folio = misread[i]
        lines = []
        if extra_top:
            lines.append(extra_top(num))
        head = head_even if num % 2 == 0 else head_odd
        if folio_at == "top":
            if not (missing and i in missing):
                lines.append(folio)
            lines.append(head)
        elif folio_at == "inline":
            lines.append(f"{folio} {head}" if num % 2 == 0 else f"{head} {folio}")
        else:
            lines.append(head)
        lines += body(n=12, start=i * 7)
        if folio_at == "bottom" and not (missing and i in missing):
            lines.append(folio)
        if extra_bottom:
            lines += extra_bottom(num)
        pages.append("\n".join(lines))
    return pages


def kinds(ed):
    return [[f["kind"] for f in p["furniture"]] for p in ed["pages"]]


def all_text(ed):
    return " ".join(p["text"] for p in ed["paragraphs"])


def test_heads_and_folios_removed_and_numbers_read():
    doc, ed = build(issue())
    assert [p["number"] for p in ed["pages"]] == list(range(11, 17))
    assert all(sorted(k) == ["folio", "running-head"] for k in kinds(ed))
    text = all_text(ed)
    assert "MONTHLY REVIEW" not in text and "NOTES ON BOOKS" not in text
    assert ed["metadata"]["title"] == "The Monthly Review"  # verso head


def test_folio_in_head_line_and_at_bottom():
    _, ed = build(issue(folio_at="inline"))
    assert [p["number"] for p in ed["pages"]] == list(range(11, 17))
    _, ed = build(issue(folio_at="bottom"))
    assert [p["number"] for p in ed["pages"]] == list(range(11, 17))
    assert all("folio" in k for k in kinds(ed))


def test_sequence_predicts_missing_and_misread_folio():
    _, ed = build(issue(missing={2}, misread={4: "l5"}))
    assert [p["number"] for p in ed["pages"]] == list(range(11, 17))
    assert ed["pages"][2]["number_source"] == "sequence"
    assert "l5" not in all_text(ed)


def test_viewer_chrome_and_metadata():
    pages = issue(extra_top=lambda n: f"Vol. 12 No. 3 1921 - page {n}",
                  extra_bottom=lambda n: ["1,2,3,4,5,6,7,8,9,10,...212", "Created with PageFlip Studio"])
    _, ed = build(pages)
    md = ed["metadata"]
    assert (md["volume"], md["number"], md["year"], md["page_count"]) == (12, 3, 1921, 212)
    for k in kinds(ed):
        assert {"viewer-title", "viewer-nav", "viewer-credit"} <= set(k)
    assert "PageFlip" not in all_text(ed) and "page 1" not in all_text(ed)


def test_no_metadata_guessed():
    pages = ["\n".join(body(n=12, start=i)) for i in range(3)]
    _, ed = build(pages)
    md = ed["metadata"]
    assert md["title"] is None and md["year"] is None and md["page_count"] is None
    assert all(p["number"] is None for p in ed["pages"])
    assert all(not p["furniture"] for p in ed["pages"])


def test_body_line_that_looks_like_a_number_is_kept():
    pages = issue()
    lines = pages[2].split("\n")
    lines.insert(6, "1927")  # a number inside the text, not at the edge
    pages[2] = "\n".join(lines)
    _, ed = build(pages)
    assert "1927" in all_text(ed)


def test_heading_at_top_without_evidence_stays():
    pages = ["\n".join(["A NEW CHAPTER BEGINS"] + body(n=12))]
    _, ed = build(pages)
    assert ed["pages"][0]["furniture"] == []
    assert ed["paragraphs"][0]["kind"] == "heading"


def test_large_number_is_not_a_page_list():
    pages = issue()
    pages[1] = pages[1] + "\n1,400,000,000."
    _, ed = build(pages)
    assert all(f["kind"] != "viewer-nav" for f in ed["pages"][1]["furniture"])
    assert "1,400,000,000." in all_text(ed)


def test_article_title_over_byline_is_not_a_running_head():
    pages = issue()
    lines = pages[0].split("\n")
    pages[0] = "\n".join(["NOTES ON BOOKS", "", "By Ada B. Lovelace", ""] + lines[2:])
    _, ed = build(pages)
    assert ed["pages"][0]["furniture"] == []
    assert ed["paragraphs"][0]["text"] == "NOTES ON BOOKS" and ed["paragraphs"][0]["kind"] == "heading"
    assert any(f["text"] == "NOTES ON BOOKS" for f in ed["pages"][2]["furniture"])  # the running head later


def test_numbers_of_a_table_at_the_page_foot_are_text_not_folios():
    from pagekit import body, build

    pages = ["\n".join(body(n=12) + ["Consols for money", "20", "30", "40"]),
             "\n".join(body(n=12, start=3) + ["Bank stock", "18", "17", "16"])]
    _, ed = build(pages)
    assert all(p["number"] is None for p in ed["pages"])
    assert all(p["furniture"] == [] for p in ed["pages"])
    assert "40" in " ".join(p["text"] for p in ed["paragraphs"])


def test_a_row_of_table_numbers_gives_no_page_count():
    from pagekit import body, build

    _, ed = build(["\n".join(body(n=12) + ["12 647 3 88 19 237 5"])])
    assert ed["metadata"]["page_count"] is None


def test_an_article_head_on_one_recto_page_is_not_the_journal_title():
    from pagekit import body, build

    pages = ["\n".join(["THE LONG WINTER", ""] + body(n=14) + ["", "7"]),
             "\n".join(["THE NORTHERN REVIEW", ""] + body(n=14, start=2) + ["", "8"]),
             "\n".join(["AN ESSAY ON TRADE", ""] + body(n=14, start=4) + ["", "9"]),
             "\n".join(["THE NORTHERN REVIEW", ""] + body(n=14, start=6) + ["", "10"])]
    _, ed = build(pages)
    assert ed["metadata"]["title"] == "The Northern Review"


def _prose(n, start=0):
    from pagekit import body

    lines = body(n=n, start=start)
    return ["In " + lines[0]] + lines[1:-1] + [lines[-1] + "."]


def test_journal_title_before_the_date_in_the_verso_head_and_the_year_is_no_folio():
    from pagekit import build

    pages = ["\n".join(["THE COMPASS MAGAZINE, APRIL 1933", ""] + _prose(12) + ["", "- 2 -"]),
             "\n".join(["The Stubborn Railway", ""] + _prose(12, 2) + ["", "- 3 -"]),
             "\n".join(["THE COMPASS MAGAZINE, APRIL 1933", ""] + _prose(12, 4) + ["", "- 4 -"])]
    _, ed = build(pages)
    assert ed["metadata"]["title"] == "The Compass Magazine" and ed["metadata"]["year"] == 1933
    assert [p["number"] for p in ed["pages"]] == [2, 3, 4]


def test_recto_head_naming_a_printed_title_is_furniture_and_the_title_under_a_head_is_text():
    from pagekit import build

    pages = ["\n".join(["THE COMPASS MAGAZINE", "", "The Stubborn Railway", ""] + _prose(12) + ["", "- 2 -"]),
             "\n".join(["The Stubborn Railway", ""] + _prose(12, 2) + ["", "- 3 -"]),
             "\n".join(["THE COMPASS MAGAZINE", ""] + _prose(12, 4) + ["", "- 4 -"])]
    _, ed = build(pages)
    assert [f["kind"] for f in ed["pages"][1]["furniture"]] == ["running-head", "folio"]
    assert [f["text"] for f in ed["pages"][0]["furniture"]] == ["THE COMPASS MAGAZINE", "- 2 -"]
    assert any(p["text"] == "The Stubborn Railway" for p in ed["paragraphs"])


def test_short_page_keeps_its_heading_out_of_the_foot_zone():
    from pagekit import build

    toc = "\n".join(["", "CONTENTS", "", "The Long Winter ........ 2", "Notes on the Harvest ...... 6", "",
                     "Page 1"])
    _, ed = build([toc, "\n".join(_prose(12) + ["", "Page 2"])])
    assert [f["text"] for f in ed["pages"][0]["furniture"]] == ["Page 1"]
    assert ed["pages"][0]["number"] == 1
