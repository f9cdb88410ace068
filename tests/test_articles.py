"""Articles: headings, bylines, running heads and a contents page group the paragraphs."""

from lxml import etree

from pagekit import body, build
from reissue.export import to_markdown, to_tei, to_text

TEI = "{http://www.tei-c.org/ns/1.0}"


def _prose(n, start=0):
    lines = body(n=n, start=start)
    return ["In " + lines[0]] + lines[1:-1] + [lines[-1] + "."]


def _issue():
    p1 = "\n".join(["12", "THE NORTHERN REVIEW", ""] + _prose(8) + ["", "THE LONG WINTER OF THE NORTH", "",
                    "By John A. Whitcombe", ""] + _prose(8, start=3))
    p2 = "\n".join(["THE LONG WINTER", "13", ""] + _prose(10, start=5))
    p3 = "\n".join(["14", "THE NORTHERN REVIEW", ""] + _prose(10, start=7))
    return build([p1, p2, p3])


def test_every_paragraph_in_one_article_in_reading_order():
    _, ed = _issue()
    ids = [pid for a in ed["articles"] for pid in a["paragraphs"]]
    assert ids == [p["id"] for p in ed["paragraphs"] if p["kind"] != "contents"]


def test_title_and_byline_are_their_own_paragraphs():
    _, ed = _issue()
    art = next(a for a in ed["articles"] if a["title"] and "Winter" in a["title"])
    assert art["byline"] == "John A. Whitcombe"
    kinds = {p["id"]: p["kind"] for p in ed["paragraphs"]}
    assert [kinds[pid] for pid in art["paragraphs"][:2]] == ["heading", "byline"]
    assert art["pages"] == [12, 13, 14]


def test_text_before_the_first_title_has_no_invented_title():
    _, ed = _issue()
    first = ed["articles"][0]
    assert first["title"] is None  # the verso head is the journal's title, not the article's


def test_text_before_the_first_title_takes_the_recto_running_head():
    pages = ["\n".join(["THIS QUARTER", "5", ""] + body(n=14)),
             "\n".join(["6", "PARTISAN REVIEW", ""] + body(n=14, start=2))]
    _, ed = build(pages)
    assert len(ed["articles"]) == 1
    assert ed["articles"][0]["title"] == "This Quarter" and ed["articles"][0]["pages"] == [5, 6]
    assert to_text(ed).startswith("[This Quarter]\n")


def test_contents_page_is_not_body_text():
    toc = "\n".join(["CONTENTS", "", "The Long Winter, by John Smith ........ 3", "Notes on the Harvest ...... 9",
                     "The Theatre .......... 14", "Books in Review ........ 20"])
    _, ed = build([toc, "\n".join(body(n=12))])
    assert [c["title"] for c in ed["contents"]][:2] == ["The Long Winter", "Notes on the Harvest"]
    assert ed["contents"][0]["author"] == "John Smith" and ed["contents"][0]["page"] == 3
    toc_ids = {p["id"] for p in ed["paragraphs"] if p["kind"] == "contents"}
    assert toc_ids and not toc_ids & {pid for a in ed["articles"] for pid in a["paragraphs"]}


def test_tei_and_markdown_show_articles():
    _, ed = _issue()
    root = etree.fromstring(to_tei(ed))
    divs = root.findall(f".//{TEI}div[@type='article']")
    assert len(divs) == len(ed["articles"])
    assert divs[1].find(f"{TEI}head").text.startswith("THE LONG WINTER")
    assert divs[1].find(f"{TEI}byline") is not None
    md = to_markdown(ed)
    assert "## THE LONG WINTER OF THE NORTH" in md and "*By John A. Whitcombe*" in md


def test_closing_author_line_is_the_byline_and_the_next_heading_opens_an_article():
    p1 = "\n".join(["The Silent Harbour", ""] + _prose(8) + ["", "— Jane Morrow", "", "The Patient Parish", ""]
                   + _prose(8, start=4) + ["", "— Oliver Thorne"])
    _, ed = build([p1])
    assert [(a["title"], a["byline"]) for a in ed["articles"]] == [("The Silent Harbour", "Jane Morrow"),
                                                                 ("The Patient Parish", "Oliver Thorne")]
    kinds = {p["id"]: p["kind"] for p in ed["paragraphs"]}
    assert all(kinds[a["paragraphs"][-1]] == "byline" for a in ed["articles"])


def _alto(lines):
    """A one-page ALTO file: [(text, font size)] top to bottom."""
    styles = {size: f"s{k}" for k, size in enumerate(sorted({s for _, s in lines}))}
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">',
           "<Styles>" + "".join(f'<TextStyle ID="{i}" FONTSIZE="{s}"/>' for s, i in styles.items()) + "</Styles>",
           '<Layout><Page ID="p1" WIDTH="2000" HEIGHT="3000"><PrintSpace>']
    for k, (text, size) in enumerate(lines):
        words = "".join(f'<String CONTENT="{w}" STYLEREFS="{styles[size]}"/>' for w in text.split())
        out.append(f'<TextBlock ID="b{k}"><TextLine HPOS="100" VPOS="{100 + 60 * k}" WIDTH="1500" HEIGHT="40">'
                   f"{words}</TextLine></TextBlock>")
    out.append("</PrintSpace></Page></Layout></alto>")
    return "\n".join(out)


def test_masthead_titles_the_issue_and_a_two_line_title_in_large_type_opens_the_article(tmp_path):
    from reissue.edition import document_to_dict
    from reissue.pipeline import build_document

    lines = [("Berlinische Monatsschrift.", 24), ("1784.", 16), ("Zwölftes Stück. December.", 12),
             ("Beantwortung der Frage:", 20), ("Was ist Aufklärung?", 20)]
    lines += [(t, 10) for t in _prose(12)]
    (tmp_path / "p1.xml").write_text(_alto(lines), encoding="utf-8")
    ed = document_to_dict(build_document([str(tmp_path / "p1.xml")], correct=False))
    assert ed["metadata"]["title"] == "Berlinische Monatsschrift" and ed["metadata"]["year"] == 1784
    titles = [a["title"] for a in ed["articles"]]
    assert titles == [None, "Beantwortung der Frage: Was ist Aufklärung?"]  # the masthead titles no article


def test_an_article_title_in_large_type_at_a_page_top_is_no_masthead(tmp_path):
    from reissue.edition import document_to_dict
    from reissue.pipeline import build_document

    lines = [("The Long Winter", 22)] + [(t, 10) for t in _prose(12)]
    (tmp_path / "p1.xml").write_text(_alto(lines), encoding="utf-8")
    ed = document_to_dict(build_document([str(tmp_path / "p1.xml")], correct=False))
    assert ed["metadata"]["title"] is None
    assert [a["title"] for a in ed["articles"]] == ["The Long Winter"]


def test_a_logical_structure_given_with_the_input_is_used_as_given():
    from reissue.articles import detect_articles
    from reissue.ingest import document_from_texts
    from reissue.pipeline import process

    page = "\n".join(_prose(6) + ["", "THE SECOND STORY", ""] + _prose(6, start=3))
    doc = document_from_texts([("p1.txt", page)])
    process(doc, correct=False)
    cut = page.index("THE SECOND STORY")
    doc.structure = [{"id": "d1", "title": "First", "pages": [0], "spans": [[0, 0, cut]]},
                     {"id": "d2", "title": "Second", "pages": [0], "spans": [[0, cut, len(page)]]}]
    doc.stages.remove("articles")
    detect_articles(doc)
    assert [(a["id"], a["title"]) for a in doc.articles] == [("d1", "First"), ("d2", "Second")]
    assert [pid for a in doc.articles for pid in a["paragraphs"]] == [p.id for p in doc.paragraphs]
    assert doc.articles[1]["paragraphs"][0] == next(p.id for p in doc.paragraphs if p.text.text == "THE SECOND STORY")


def _sectioned_issue():
    """Recto heads name the section (printed nowhere as a title); verso heads the journal."""
    verso = lambda n: [str(n), "THE NORTHERN REVIEW", ""]  # noqa: E731
    recto = lambda n, s: [f"{s}  {n}", ""]  # noqa: E731
    pages = ["\n".join(verso(10) + ["THE LONG WINTER", "", "By John A. Whitcombe", ""] + _prose(10)),
             "\n".join(recto(11, "BOOKS IN REVIEW") + _prose(6, 2) + ["", "HARVEST AND MARKET", ""] + _prose(6, 4)),
             "\n".join(verso(12) + _prose(12, 6)),
             "\n".join(recto(13, "BOOKS IN REVIEW") + _prose(6, 8) + ["", "THE QUIET HARBOUR", ""] + _prose(6, 1)),
             "\n".join(verso(14) + _prose(12, 3)),
             "\n".join(recto(15, "AT HOME") + _prose(12, 5))]
    return build(pages)


def test_subheading_under_an_unchanged_running_head_stays_in_its_article():
    _, ed = _sectioned_issue()
    titles = [a["title"] for a in ed["articles"]]
    assert "Harvest and Market" not in titles
    first = next(a for a in ed["articles"] if a["title"] == "The Long Winter")
    assert first["pages"][:4] == [10, 11, 12, 13]


def test_heading_where_the_running_head_changes_opens_an_article():
    _, ed = _sectioned_issue()
    assert [a["title"] for a in ed["articles"]] == ["The Long Winter", "The Quiet Harbour"]
    assert ed["articles"][1]["pages"] == [13, 14, 15]


def test_closing_name_at_the_top_of_the_next_page_is_the_byline():
    p1 = "\n".join(["10", "THE NORTHERN REVIEW", "", "THE LONG WINTER", ""] + _prose(12))
    p2 = "\n".join(["THE NORTHERN REVIEW", "11", "", "— Jane Morrow", "", "THE QUIET HARBOUR", ""] + _prose(10, 3))
    _, ed = build([p1, p2])
    first = next(a for a in ed["articles"] if a["title"] == "The Long Winter")
    assert first["byline"] == "Jane Morrow"
    assert all(not p["text"].endswith("Jane Morrow") for p in ed["paragraphs"] if p["kind"] == "paragraph")
    assert [a["title"] for a in ed["articles"]][-1] == "The Quiet Harbour"
