"""Heading evidence on newspaper pages: display runs of capitals, titles over two lines, headline
stacks and subheadings by type size, and the lines under a masthead (golden cases as data)."""

import pytest

from pagekit import body, build
from reissue.edition import document_to_dict
from reissue.masthead import numbering
from reissue.pipeline import build_document


def _prose(n, start=0):
    lines = body(n=n, start=start)
    return ["In " + lines[0]] + lines[1:-1] + [lines[-1] + "."]


# a boxed quotation in capitals: continuous prose, one display paragraph (not a stack of headings)
QUOTE = ["THE OLD DAYS WERE GREAT BECAUSE", "THE MEN WHO LIVED IN THEM HAD", "MIGHTY QUALITIES AND WE MUST MAKE",
         "THE NEW DAYS GREAT BY SHOWING", "THESE SAME QUALITIES. WE MUST IN-", "SIST UPON COURAGE AND RESOLUTION, UPON",
         "HARDIHOOD, TENACITY AND FERTILITY IN", "RESOURCES.—(President Roosevelt."]
# a headline stack: decks in capitals, each a finished head
STACK = ["FOREST FIRES RAGING.", "HOTELS THREATENED.", "COTTAGES ALSO IN DANGER."]

PLAIN_CASES = [
    # (lines of the page, expected heading texts)
    (["THE NEWS OF THE DAY", ""] + QUOTE + [""] + _prose(8), ["THE NEWS OF THE DAY"]),
    (STACK + [""] + _prose(8), STACK),
    (["Only Force Can Turn Her Out of", "Manchuria—Personal Notes.", ""] + _prose(8),
     ["Only Force Can Turn Her Out of Manchuria—Personal Notes."]),
    (["Works Just Published by", "Whittaker, Meagher, and Co.", ""] + _prose(8),
     ["Works Just Published by Whittaker, Meagher, and Co."]),
    # a title that ends where a title ends stays one line
    (["The Long Winter", "", "By John A. Whitcombe", ""] + _prose(8), ["The Long Winter"]),
]


@pytest.mark.parametrize("lines,headings", PLAIN_CASES)
def test_headings_of_plain_text(lines, headings):
    _, ed = build(["\n".join(lines)])
    assert [p["text"] for p in ed["paragraphs"] if p["kind"] == "heading"] == headings


def test_a_display_run_is_one_paragraph_of_the_current_article():
    _, ed = build(["\n".join(["THE NEWS OF THE DAY", ""] + _prose(6) + [""] + QUOTE + [""] + _prose(6, 3))])
    quote = [p for p in ed["paragraphs"] if p["text"].startswith("THE OLD DAYS")]
    assert len(quote) == 1 and quote[0]["kind"] == "paragraph" and quote[0]["text"].endswith("(President Roosevelt.")
    assert [a["title"] for a in ed["articles"]] == ["The News of the Day"]


def _alto(blocks, height=6000):
    """A one-page ALTO file: blocks of [(text, font size)] top to bottom, each block its own TextBlock."""
    sizes = sorted({s for b in blocks for _, s in b})
    styles = {size: f"s{k}" for k, size in enumerate(sizes)}
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">',
           "<Styles>" + "".join(f'<TextStyle ID="{i}" FONTSIZE="{s}"/>' for s, i in styles.items()) + "</Styles>",
           f'<Layout><Page ID="p1" WIDTH="2000" HEIGHT="{height}"><PrintSpace>']
    y = 100
    for k, blk in enumerate(blocks):
        out.append(f'<TextBlock ID="b{k}">')
        for text, size in blk:
            words = "".join(f'<String CONTENT="{w}" STYLEREFS="{styles[size]}"/>'
                            for w in text.replace("&", "&amp;").replace('"', "&quot;").split())
            out.append(f'<TextLine HPOS="100" VPOS="{y}" WIDTH="1500" HEIGHT="{3 * size}">{words}</TextLine>')
            y += 4 * size
        out.append("</TextBlock>")
        y += 40
    out.append("</PrintSpace></Page></Layout></alto>")
    return "\n".join(out)


def _newspaper(tmp_path):
    """A newspaper's first page: the lines under the masthead, two stories under headline stacks in
    display type (a title over two lines, a subheading in text type), a boxed quotation and a short
    notice under a line in text type (an advertisement: an item of its own)."""
    text = lambda lines: [(t, 7) for t in lines]  # noqa: E731
    blocks = [
        [("VOL. LXIII.....No. 20,620.", 14)],
        [("NEW-YORK, FRIDAY, MAY 1, 1903.- FOURTEEN PAGES.", 13)],
        [("PRICE THREE CENTS.", 13)],
        [("RUSSIA IN TO STAY.", 19)], [("THE FEELING IN LONDON.", 13)],
        [("Only Force Can Turn Her Out of", 12), ("Manchuria—Personal Notes.", 12)] + text(_prose(12)),
        text(QUOTE),
        [("PRESIDENT'S SPEECH.", 13)], [("How the Policy of Expansion Has", 12), ("Built Up a Great Nation.", 12)]
        + text(_prose(10, 2)),
        [("THE BEGINNINGS OF EXPANSION.", 7)] + text(_prose(10, 4)),
        [("POLAND WATER.", 7), ("Bottled at the famous spring in Maine.—Advt.", 7)],  # a short notice
        [("TO PRINTERS.", 13)], [("FIRES IN THE NORTH.", 19)] + text(_prose(6, 5)),  # a larger head: no deck
    ]
    path = tmp_path / "p1.xml"
    path.write_text(_alto(blocks), encoding="utf-8")
    return document_to_dict(build_document([str(path)], correct=False))


def test_newspaper_headline_stacks_open_one_article_each(tmp_path):
    ed = _newspaper(tmp_path)
    assert [a["title"] for a in ed["articles"]] == ["Russia in to Stay.", "President's Speech.", "Poland Water.",
                                                     "To Printers.", "Fires in the North."]
    heads = [p["text"] for p in ed["paragraphs"] if p["kind"] == "heading"]
    # the title over two lines is one heading; the subheading in text type stays in its story
    assert "Only Force Can Turn Her Out of Manchuria—Personal Notes." in heads
    assert "THE BEGINNINGS OF EXPANSION." in heads
    quote = [p for p in ed["paragraphs"] if p["text"].startswith("THE OLD DAYS")]
    assert len(quote) == 1 and quote[0]["kind"] == "paragraph"


def test_masthead_lines_are_furniture_and_give_the_numbering(tmp_path):
    ed = _newspaper(tmp_path)
    md = ed["metadata"]
    assert (md["volume"], md["number"], md["year"]) == (63, 20620, 1903)
    kinds = {f["text"]: f["kind"] for p in ed["pages"] for f in p.get("furniture", [])}
    assert kinds.get("PRICE THREE CENTS.") == "masthead"
    assert not any("FOURTEEN PAGES" in p["text"] or "THREE CENTS" in p["text"] for p in ed["paragraphs"])


NUMBERING = [
    ("VOL. LXIII.....No. 20,620.", (63, 20620)),
    ("VOIVO1 LXIII----N0 20.620.", (63, 20620)),  # the Tribune's OCR: letters for digits
    ("VOIV O1 LXIII----N 0 20.620.", (None, None)),  # too garbled to read: nothing invented
    ("Vol. 6 No. 5", (6, 5)),
    ("PRICE THREE CENTS.", (None, None)),
]


@pytest.mark.parametrize("text,expected", NUMBERING)
def test_numbering_read_from_a_masthead_line(text, expected):
    assert numbering(text) == expected


def test_a_date_in_the_text_is_no_masthead_line():
    _, ed = build(["\n".join(["THE NEWS OF THE DAY", ""] + _prose(3) + ["On Friday, May 1, 1903, the fair opened.", ""]
                             + _prose(6, 2))])
    assert any("Friday, May 1, 1903" in p["text"] for p in ed["paragraphs"])


def test_markdown_shows_the_headline_at_level_two_and_its_decks_at_level_three(tmp_path):
    from reissue.export import to_markdown

    md = to_markdown(_newspaper(tmp_path))
    level2 = [ln[3:] for ln in md.splitlines() if ln.startswith("## ")]
    assert [t for t in level2 if "RUSSIA" in t or "FEELING" in t or "Only Force" in t] == ["[page [1]] RUSSIA IN TO STAY."]
    assert "### THE FEELING IN LONDON." in md.splitlines()
    assert "### Only Force Can Turn Her Out of Manchuria—Personal Notes." in md.splitlines()
