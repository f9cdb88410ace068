"""Synthetic OCR noise for the vetter's training (correct/noise.py)."""

from reissue.correct.noise import Misreader, misread_share

RULES = [["rn", "m", 30, 100], ["c", "e", 20, 100], ["x", "y", 1, 1000]]


def test_one_learned_confusion_per_misread_word_with_the_words_case():
    m = Misreader(RULES)
    assert m.text("man", 1.0) in ("rnan",)  # "m" is the only truth side in "man"
    assert m.text("MAN MAN", 1.0) == "RNAN RNAN"
    assert m.text("Man", 1.0) == "Rnan"
    assert m.text("dog", 1.0) == "dog"  # no rule applies
    assert m.text("map, 12 of", 0.0) == "map, 12 of"


def test_misreading_is_reproducible_and_follows_the_rate():
    m = Misreader(RULES)
    text = " ".join(["the mere emperor came"] * 200)
    assert m.text(text, 0.3, seed=1) == m.text(text, 0.3, seed=1)
    assert m.text(text, 0.3, seed=1) != m.text(text, 0.3, seed=2)
    words = text.split()
    for rate in (0.1, 0.5):
        out = m.text(text, rate).split()
        share = sum(a != b for a, b in zip(words, out)) / len(words)
        assert abs(share - rate) < 0.06
    # the likelier confusion is the commoner one: e -> c (0.2 a place) against y -> x (0.001)
    out = m.text(" ".join(["eye"] * 2000), 1.0)
    assert out.count("c") > 50 * max(1, out.count("x"))


def test_misread_share_counts_words_read_as_another_word():
    assert misread_share("the cat sat", "the cot sat") == 1 / 3
    assert misread_share("the cat sat", "the cat sat") == 0.0
    assert misread_share("thecat sat", "the cat sat") == 0.0  # a join is no misreading
    assert misread_share("", "") == 0.0
