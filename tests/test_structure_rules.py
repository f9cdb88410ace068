"""Structure rules of issue 13: catch-words, dated journal heads over a byline, the masthead of a
first page with OCR damage, subheadings inside an article named by its running heads, title specks."""

from pagekit import body, build
from test_furniture import all_text, issue

from reissue.articles import _tidy
from reissue.ingest import document_from_texts
from reissue.masthead import masthead, ocr_year
from reissue.pipeline import process


def _first_words(page: str) -> str:
    return body(n=12, start=page * 7)[0].split()[0]


def test_catch_word_is_furniture_and_text_reads_once():
    pages = issue()
    nxt = _first_words(3)  # the word page 3's text begins with, printed under page 2's last line
    pages[2] = pages[2] + "\n" + nxt
    _, ed = build(pages)
    assert [f["text"] for f in ed["pages"][2]["furniture"] if f["kind"] == "catch-word"] == [nxt]
    plain = build(issue())[1]
    assert all_text(ed) == all_text(plain)


def test_word_ending_a_paragraph_is_no_catch_word():
    pages = issue()
    nxt = _first_words(3)
    pages[2] = pages[2] + "\n" + nxt + "."  # a paragraph's last word, with its full stop
    _, ed = build(pages)
    assert not any(f["kind"] == "catch-word" for f in ed["pages"][2]["furniture"])


def test_dated_journal_head_over_a_byline_is_furniture():
    pages = issue(head_even="THE MONTHLY REVIEW, MAY 1921")
    lines = pages[1].split("\n")  # page 12: folio, verso head, body
    pages[1] = "\n".join(lines[:2] + ["", "By Ada B. Lovelace", ""] + lines[2:])
    _, ed = build(pages)
    assert [f["kind"] for f in ed["pages"][1]["furniture"]] == ["folio", "running-head"]
    assert ed["metadata"]["title"] == "The Monthly Review"


def _sized_doc(first: str, second: str, sizes: tuple[int, int], third="Number Twelve, December."):
    lines = [first, "", second, third] + body(n=10)
    doc = document_from_texts([("page-000.txt", "\n".join(lines))])
    big, normal = sizes
    info = [{"font_size": big if i == 0 else normal, "y": 10 + 40 * i} for i in range(len(lines))]
    info[1] = {"blank": True}
    doc.pages[0].info = {"lines": info}
    return doc


def test_masthead_with_ocr_damage_and_a_dated_line():
    doc = _sized_doc("The Evening Led<ger,", "I92 1", (80, 56))  # 1.43 x the usual size
    doc.pages[0].lines = doc.pages[0].split_lines()
    assert masthead(doc) == ("The Evening Ledger", 1921)
    doc = _sized_doc("The Evening Ledger", "Number Twelve", (80, 56), "Twelfth Number")  # no date under it
    doc.pages[0].lines = doc.pages[0].split_lines()
    assert masthead(doc) is None
    assert ocr_year("Stück, December.") is None and ocr_year("l9 21") == 1921


def test_masthead_title_reaches_metadata():
    doc = _sized_doc("The Evening Led<ger,", "I92 1", (80, 56))
    process(doc, correct=False)
    assert (doc.metadata.title, doc.metadata.year) == ("The Evening Ledger", 1921)


def test_subheading_inside_an_article_named_by_its_running_heads():
    pages = issue(n=8)
    lines = pages[2].split("\n")  # page 13 (recto, head NOTES ON BOOKS)
    pages[2] = "\n".join(lines[:6] + ["", "AT SEA AGAIN", ""] + lines[6:])
    _, ed = build(pages)
    assert len(ed["articles"]) == 1
    assert ed["articles"][0]["title"] == "Notes on Books"


def test_title_loses_leading_specks():
    assert _tidy(". m Answer to the Question :") == "Answer to the Question:"
    assert _tidy("A Quiet Crisis") == "A Quiet Crisis"


def _geo_page(number_y: int):
    """A one-column page whose last line in reading order is '48'; line boxes put it at number_y."""
    lines = ["THE MONTHLY REVIEW"] + body(n=14) + ["48"]
    doc = document_from_texts([("page-000.txt", "\n".join(lines))])
    info = [{"x": 100, "y": 100 + 40 * i, "w": 600, "h": 30, "font_size": 30} for i in range(len(lines))]
    info[-1] = {"x": 380, "y": number_y, "w": 40, "h": 30, "font_size": 30}
    doc.pages[0].info = {"lines": info}
    return doc


def test_number_inside_the_text_block_is_no_folio_by_geometry():
    doc = process(_geo_page(100 + 40 * 7 + 5), correct=False)  # between lines 7 and 8, in the column
    assert doc.pages[0].number is None
    assert not any(f.kind == "folio" for f in doc.pages[0].furniture)
    doc = process(_geo_page(100 + 40 * 16), correct=False)  # under the last line: the foot
    assert doc.pages[0].number == 48


def test_one_off_head_in_the_head_slot_of_a_headed_side():
    pages = issue(n=8, folio_at="bottom")
    pages[4] = pages[4].replace("NOTES ON BOOKS", "CORRESPONDENCE", 1)  # printed over this page only
    _, ed = build(pages)
    assert [f["text"] for f in ed["pages"][4]["furniture"] if f["kind"] == "running-head"] == ["CORRESPONDENCE"]
    assert "CORRESPONDENCE" not in all_text(ed)


def test_folio_of_a_nearly_empty_page_is_read():
    pages = issue(n=6, folio_at="bottom")
    pages[3] = "\n".join(["THE MONTHLY REVIEW", "", "for the end of it all.", "", "14"])
    _, ed = build(pages)
    assert ed["pages"][3]["number"] == 14
    assert [f["kind"] for f in ed["pages"][3]["furniture"]] == ["running-head", "folio"]


def test_list_number_over_a_decorated_folio_stays_text():
    pages = issue(n=6, folio_at="bottom")
    lines = pages[2].split("\n")
    pages[2] = "\n".join(lines[:-1] + ["7.", "— 13 —"])  # a list's last number over the folio
    _, ed = build(pages)
    assert ed["pages"][2]["number"] == 13
    assert [f["text"] for f in ed["pages"][2]["furniture"] if f["kind"] == "folio"] == ["— 13 —"]
    assert "7." in all_text(ed)


def test_title_case_keeps_longer_prepositions_small():
    from reissue.furniture import is_titlelike

    assert is_titlelike("Letters from Abroad") and is_titlelike("Notes on the Promise")
    assert not is_titlelike("letters from abroad") and not is_titlelike("It was late, and cold.")


def test_head_on_every_page_of_its_side_over_a_by_line_is_furniture():
    pages = issue(n=6)
    lines = pages[3].split("\n")  # page 14: folio, verso head, body
    pages[3] = "\n".join(lines[:2] + ["by Calderwood."] + lines[2:])  # the end of a sentence
    _, ed = build(pages)
    assert "running-head" in [f["kind"] for f in ed["pages"][3]["furniture"]]
    assert "MONTHLY REVIEW" not in all_text(ed)


def test_one_letter_catch_word():
    pages = issue()
    lines = pages[3].split("\n")  # folio, head, body
    pages[3] = "\n".join(lines[:2] + ["A quiet word from the editor to every reader of these pages"] + lines[2:])
    pages[2] = pages[2] + "\nA"
    _, ed = build(pages)
    assert [f["text"] for f in ed["pages"][2]["furniture"] if f["kind"] == "catch-word"] == ["A"]


def test_second_number_on_a_page_with_its_folio_stays_text():
    pages = issue()
    pages[2] = pages[2] + "\n900."  # the last word of a note or a table at the foot, folio at the top
    _, ed = build(pages)
    assert ed["pages"][2]["number"] == 13
    assert [f["text"] for f in ed["pages"][2]["furniture"] if f["kind"] == "folio"] == ["13"]
    assert "900." in all_text(ed)


def test_newspaper_date_line_gives_the_year_and_a_dated_story_does_not():
    story = body(n=12)
    dated = ["NEW-YORK. FRIDAY, MAY 1, 1903. - FOURTEEN PAGES.", ""] + story
    _, d = build(["\n".join(dated)])
    assert (d["metadata"]["year"], d["metadata"]["evidence"]["year"]) == (1903, "date line")
    # a date inside a story, below the top of the page, is no date line
    inside = story + ["On Monday, June 3, 1889, the society met again."] + body(n=4)
    _, d = build(["\n".join(inside)])
    assert d["metadata"]["year"] is None
    # a year without a weekday or month at the top is not taken either (a price list, a folio)
    _, d = build(["\n".join(["Established 1841.", ""] + story)])
    assert d["metadata"]["year"] is None
