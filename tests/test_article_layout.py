"""Articles on a newspaper page read alone, from the page geometry (golden cases as data): short
section heads in capitals centred over their column open articles ('LOCAL.', 'DIED.'); the paper's
name printed over the page, a scrap of the facing page at the gutter edge and a signature in
quotation marks open none."""

import pytest

from pagekit import body
from reissue.edition import document_to_dict
from reissue.headings import caps_share, centred, edge_scrap, over_page, quoted, section_head
from reissue.pipeline import build_document

WIDTH, HEIGHT = 3000, 6000
COLUMN = (100, 1300)  # x and width of the text column


def _prose(n, start=0):
    lines = body(n=n, start=start)
    return ["In " + lines[0]] + lines[1:-1] + [lines[-1] + "."]


def _alto(blocks):
    """A one-page ALTO file; ``blocks``: lists of lines (text, x, y, w) in the file's reading order."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">',
           f'<Layout><Page ID="p1" WIDTH="{WIDTH}" HEIGHT="{HEIGHT}"><PrintSpace>']
    for k, blk in enumerate(blocks):
        out.append(f'<TextBlock ID="b{k}">')
        for text, x, y, w in blk:
            esc = text.replace("&", "&amp;").replace('"', "&quot;")
            words = "".join(f'<String CONTENT="{t}"/>' for t in esc.split())
            out.append(f'<TextLine HPOS="{x}" VPOS="{y}" WIDTH="{w}" HEIGHT="40">{words}</TextLine>')
        out.append("</TextBlock>")
    out.append("</PrintSpace></Page></Layout></alto>")
    return "\n".join(out)


class Page:
    """Blocks laid out top to bottom in one column."""

    def __init__(self):
        self.blocks, self.y = [], 300

    def head(self, text, width=300, centre=True):
        x = COLUMN[0] + (COLUMN[1] - width) // 2 if centre else COLUMN[0]
        self.blocks.append([(text, x, self.y, width)])
        self.y += 80
        return self

    def text(self, n, start=0):
        lines = _prose(n, start)
        self.blocks.append([(t, COLUMN[0], self.y + 50 * k, COLUMN[1]) for k, t in enumerate(lines)])
        self.y += 50 * len(lines) + 40
        return self


def _page_a():  # a scrap of the facing page first, the paper's name over the page last (as OCR orders them)
    p = Page().head("THE TOWN HALL.").text(6).head("LOCAL.", 150).text(5, 2)
    p.head('"AN ODD FELLOW."', 400).text(4, 3).head("DIED.", 120).text(3, 4)
    return [[("IERS.", 2920, 500, 70), ("ing", 2930, 550, 50)]] + p.blocks + [[("THE DAILY COURIER.", 1000, 20, 1000)]]


def _page_b():  # the same heads set flush left, not centred: run-in lines of the article above
    p = Page().head("THE TOWN HALL.").text(6).head("LOCAL.", 150, centre=False).text(5, 2)
    return p.blocks


CASES = [
    # (blocks, the articles' titles)
    (_page_a(), [None, "The Town Hall.", "Local.", "Died."]),
    (_page_b(), ["The Town Hall."]),
]


@pytest.mark.parametrize("blocks,titles", CASES)
def test_articles_of_a_page_read_alone(tmp_path, blocks, titles):
    path = tmp_path / "p1.xml"
    path.write_text(_alto(blocks), encoding="utf-8")
    ed = document_to_dict(build_document([str(path)], correct=False))
    assert [a["title"] for a in ed["articles"]] == titles


SECTION_HEADS = [
    ("LOCAL.", True), ("DIED.", True), ("LATEST LONDON. NEWS.", True), ("TO CORRESPONDENTS.", True),
    ('"AN ODD FELLOW."', False), ("BY CABLE TO THE TRIBUNE.", False), ("LOCAL", False), ("Local news.", False),
    ("THE BEGINNINGS OF GREAT EXPANSION.", False), ("III.", False),
]


@pytest.mark.parametrize("text,expected", SECTION_HEADS)
def test_section_head(text, expected):
    assert section_head(text) is expected


@pytest.mark.parametrize("text,expected", [('"AN ODD FELLOW."', True), ("“Home.”", True), ("'Tis so.", False),
                                           ("HOME.", False)])
def test_quoted(text, expected):
    assert quoted(text) is expected


def _box(x, y=100, w=100, h=40):
    return {"x": x, "y": y, "w": w, "h": h}


GEOMETRY = [
    # (test, boxes, expected)
    (lambda b: edge_scrap(b, WIDTH), [_box(2920, w=70)], True),
    (lambda b: edge_scrap(b, WIDTH), [_box(0, w=110), _box(10, y=150, w=90)], True),
    (lambda b: edge_scrap(b, WIDTH), [_box(0, w=110), _box(100, y=150, w=900)], False),
    (lambda b: over_page(b, 300, WIDTH), [_box(1000, y=20, w=1000)], True),
    (lambda b: over_page(b, 300, WIDTH), [_box(100, y=20, w=600)], False),  # top left: not over the page
    (lambda b: over_page(b, 50, WIDTH), [_box(1000, y=20, w=1000)], False),  # a line above it
    (lambda b: centred(b, [_box(100, w=1300)]), [_box(675, w=150)], True),
    (lambda b: centred(b, [_box(100, w=1300)]), [_box(100, w=150)], False),
    (lambda b: centred(b, [_box(100, w=1300)]), [_box(110, w=1280)], False),  # as wide as the column
]


@pytest.mark.parametrize("test,boxes,expected", GEOMETRY)
def test_geometry(test, boxes, expected):
    assert test(boxes) is expected


def test_caps_share():
    assert caps_share("TH:E WIIIGS AND;ili4;") and not caps_share("The Whigs and") and not caps_share("A.B.")
