"""Footnotes: taken out of the body, linked to their call-out, continued notes joined."""

from pagekit import body, build


def test_star_note_out_of_body_and_linked():
    lines = ["7"] + body(n=6) + ['what he wanted without war.* In this period the story', "went on"] + body(n=4, start=2) \
        + ["* The note explains the matter in smaller type, as notes do."]
    _, ed = build(["\n".join(lines)])
    assert len(ed["footnotes"]) == 1
    fn = ed["footnotes"][0]
    assert fn["marker"] == "*" and fn["text"].startswith("The note explains")
    assert fn["page"] == 7
    para = next(p for p in ed["paragraphs"] if p["id"] == fn["paragraph"])
    assert para["text"][fn["callout"]] == "*"  # the call-out stays as printed
    assert all("The note explains" not in p["text"] for p in ed["paragraphs"])


def test_numbered_notes_and_continuation_on_next_page():
    p1 = "\n".join(body(n=8) + ["as the minister said.1 And the people listened while", "the rain fell."]
                   + ["1 See the report of the commission, which was printed in the"])
    p2 = "\n".join(body(n=8, start=3) + ["_____", "spring of that year and widely read.",
                                         "2 Another note without a call-out."])
    _, ed = build([p1, p2])
    notes = ed["footnotes"]
    assert notes[0]["marker"] == "1"
    assert notes[0]["text"].endswith("printed in the spring of that year and widely read.")
    assert notes[0]["paragraph"] is not None
    assert notes[1]["marker"] == "2" and notes[1]["paragraph"] is None
    rules = {e["rule"] for e in ed["edits"]}
    assert "note-separator" in rules


def test_numbered_list_in_body_is_not_a_note():
    lines = body(n=10) + ["1 apple and pears", "2 oranges"]
    _, ed = build(["\n".join(lines)])
    assert ed["footnotes"] == []


# precision: pages of newspapers and magazines without notes produce no notes


def test_rule_before_a_notice_is_no_note_separator():
    lines = body(n=12) + ["-----", "* NOTICE. The annual meeting of the society will be held", "on Monday next."]
    _, ed = build(["\n".join(lines)])
    assert ed["footnotes"] == []
    assert any("NOTICE" in p["text"] for p in ed["paragraphs"])


def test_price_list_and_starred_lines_without_call_out_are_text():
    lines = body(n=12) + ["Tea, the pound, 4s.", "1 Coffee, best Mocha, per pound 2s. 6d.",
                          "2 Sugar, refined, per pound 9d.", "* Coupon: cut out and send to the office."]
    _, ed = build(["\n".join(lines)])
    assert ed["footnotes"] == []


def test_numbers_out_of_sequence_are_no_notes():
    # a call-out "27" would fit in a price (" 27 "), but notes start at 1 on a page
    lines = body(n=10) + ["the tide, at 4.27 in the morning, 12.", "27 High water at London Bridge on Friday."]
    _, ed = build(["\n".join(lines)])
    assert ed["footnotes"] == []


def test_catch_word_is_no_note():
    lines = body(n=14) + ["Stan-"]
    _, ed = build(["\n".join(lines)])
    assert ed["footnotes"] == []


def test_parenthesised_call_out_is_linked_after_its_bracket_in_markdown_and_tei():
    from reissue.export import to_markdown, to_tei

    lines = body(n=8) + ["as the minister said (1) and the people listened while", "the rain fell."] + body(n=3, start=2) \
        + ["(1) See the report of the commission on the matter."]
    _, ed = build(["\n".join(lines)])
    assert ed["footnotes"] and ed["footnotes"][0]["paragraph"]
    md = to_markdown(ed)
    assert "said (1)[^n1]" in md and "([^n1]" not in md
    tei = to_tei(ed).decode()
    assert "said (1)<note" in tei


def test_note_continued_with_no_rule_or_blank_line_is_joined():
    # the rest of note 1 follows the body directly, above note 2's marker
    p1 = "\n".join(body(n=8) + ["as the minister said.1 And the people listened while", "the rain fell."]
                   + ["1 See the report of the commission, which was printed in the"])
    p2 = "\n".join(body(n=8, start=3) + ["as the clerk wrote.2 And the town went on as it had",
                                         "spring of that year and widely read.",
                                         "2 Another note on the clerk and his ledger."])
    _, ed = build([p1, p2])
    notes = ed["footnotes"]
    assert [n["marker"] for n in notes] == ["1", "2"]
    assert notes[0]["text"].endswith("printed in the spring of that year and widely read.")
    assert all("widely read" not in p["text"] for p in ed["paragraphs"])
    # the body line above the rest broke off mid-sentence: it stays body text
    assert any("went on as it had" in p["text"] for p in ed["paragraphs"])


def test_note_rest_after_a_blank_line_joined_when_the_text_above_broke_off():
    # the rest begins with a capital (a name), but the text above the blank line broke off mid-sentence
    p1 = "\n".join(body(n=8) + ["as the minister said.* And the people listened while", "the rain fell."]
                   + ["* The report was sent to the Governor and to"])
    p2 = "\n".join(body(n=10, start=3) + ["", "Mr. Ashby of the harbour board, who read it twice."])
    _, ed = build([p1, p2])
    assert len(ed["footnotes"]) == 1
    assert ed["footnotes"][0]["text"].endswith("to Mr. Ashby of the harbour board, who read it twice.")
    assert all("Ashby" not in p["text"] for p in ed["paragraphs"])


def test_no_open_note_no_continuation():
    # the same page after a page without notes: its last lines are body text
    p2 = "\n".join(body(n=8, start=3) + ["as the clerk wrote. And the town went on as it had",
                                         "spring of that year and widely read."])
    _, ed = build(["\n".join(body(n=10)) + ".", p2])
    assert ed["footnotes"] == []
    assert any("widely read" in p["text"] for p in ed["paragraphs"])
