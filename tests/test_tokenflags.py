"""The decoder's questions about each token, asked once per text (correct/tokenflags.py), the context
prefetch's first steps kept for the pass ("pick", scoring._prefetch_context), and the tokenizer's fast
path for chunks of letters and digits (tokens.tokenize): each the same answers as asked one by one."""

from __future__ import annotations

import re

import pytest

from casekit import corrector_with

from reissue.correct import Corrector, apply_corrections
from reissue.correct.tokens import STRIP_RE, tokenize

TEXT = ("The hoi nets of the engli h ship con aulted ap pear in tbe Comintem. LON don and Si N wrote\n"
        "inter-\nnational w ith THE BBC AND ITV referr. 1 have ofthc Liverpool, Mr. Smith's hoase.")


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def test_token_flags_answer_as_the_questions_one_by_one(corrector):
    for c in (corrector, corrector_with(merge_correct=False), corrector_with(merge_single=True),
              corrector_with(merge_letter_halves=False)):
        toks = tokenize(TEXT, c.line_hyphens, c.elisions)
        lows = [t.form.lower() for t in toks]
        f = c._token_flags(TEXT, toks, lows)
        assert len({len(x) for x in f}) == 1 and len(f.clean) == len(toks)
        merge_single = c._merge_single()
        for i, o in enumerate(lows):
            decided = f.eligible[i] or (len(o) == 1 and merge_single and o.isalpha())
            asked = bool(f.pairs[i]) and decided
            assert f.merges[i] == (asked and c._mergeable(o, lows[i + 1])
                                   and c._merge_case_ok(toks[i].form, toks[i + 1].form)), o
            assert f.joins[i] == (asked and c.P.merge_correct
                                  and (c._merge_correctable(toks[i], toks[i + 1], o, lows[i + 1])
                                       or c._letter_half(toks, lows, f.pairs, i))), o
        # the pairs the test is about are there
        at = {o: i for i, o in enumerate(lows)}
        assert f.merges[at["ap"]] and not f.merges[at["lon"]]  # "LON don": no word's case pattern
        assert f.joins[at["con"]] == c.P.merge_correct


def test_the_pass_takes_the_prefetched_steps_and_corrects_the_same(corrector):
    spied, plain = Corrector(), Corrector()
    if spied.vetter is None or not spied.vetter.uses_context:
        pytest.skip("the model's vetter does not weigh the context model")
    text = TEXT + " Tbe comrades of tlie party aud the Comintem." * 2
    asked = {True: 0, False: 0}  # candidates asked for by the prefetch, by the pass
    inside = [False]
    token_cands, prefetch = spied._token_cands, spied._prefetch_context

    def spy(search, o, doubt, vocab, mark=False, long_s=True):
        asked[inside[0]] += 1
        return token_cands(search, o, doubt, vocab, mark, long_s)

    def spy_prefetch(*a, **k):
        inside[0] = True
        try:
            return prefetch(*a, **k)
        finally:
            inside[0] = False
    spied._token_cands, spied._prefetch_context = spy, spy_prefetch
    got = spied.corrections(text)
    # the pass asks again only where the word before a token is not the printed one (an edit before it)
    assert asked[True] > 20 and asked[False] < asked[True] / 2  # (without the prefetched steps: about as often)
    plain._prefetch_context = lambda *a, **k: None
    want = plain.corrections(text)
    assert [(c.start, c.end, c.after, c.confidence, c.rule) for c in got] == \
        [(c.start, c.end, c.after, c.confidence, c.rule) for c in want]
    assert "The comrades of the party and the Comintern" in apply_corrections(text, got)


def _slow_parts(chunk: str) -> tuple[int, int]:
    core = STRIP_RE.match(chunk)
    return core.start(1), core.end(1)


@pytest.mark.parametrize("text", [
    TEXT,
    "a1b2 ÉTÉ naïve façade Straße 1832 x² ½ ٣ foo_bar _x x_ don't l'homme —dash— end.",
    "two-\nlines three-\nline-\nword A. B. C.",
])
def test_tokenize_fast_path_for_letters_and_digits(text):
    # a chunk of letters and digits only (str.isalnum) is what the regular expressions make of it: one
    # token, nothing stripped (\w is isalnum and the underscore)
    for m in re.finditer(r"\S+", text):
        chunk = m.group()
        if chunk.isalnum():
            assert _slow_parts(chunk) == (0, len(chunk))
            assert re.fullmatch(r"[^-–—]+", chunk)
    toks = tokenize(text)
    for fr in (("l'",), ()):
        assert [(t.form, list(t.offs), t.sent_start, t.joined) for t in tokenize(text, elisions=fr)] \
            == [(t.form, list(t.offs), t.sent_start, t.joined) for t in _tokenize_slow(text, fr)]
    assert all(text[t.start:t.end].replace("-\n", "") == t.form for t in toks)


def _tokenize_slow(text, elisions):
    """tokenize without its fast path (every chunk through the regular expressions)."""
    from reissue.correct import tokens

    class Chunk(str):
        def isalnum(self):
            return False

    real = tokens.CHUNK_RE

    class Finder:
        @staticmethod
        def finditer(s):
            for m in real.finditer(s):
                yield _Match(m, Chunk(m.group()))
    tokens.CHUNK_RE = Finder
    try:
        return tokens.tokenize(text, elisions=elisions)
    finally:
        tokens.CHUNK_RE = real


class _Match:
    def __init__(self, m, chunk):
        self._m, self._chunk = m, chunk

    def start(self):
        return self._m.start()

    def end(self):
        return self._m.end()

    def group(self):
        return self._chunk
