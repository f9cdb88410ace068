"""The passes after the decoder: what the word-by-word decoder cannot weigh, run in one declared order.

Each pass is a small registered function ``(corrector, Doc, out) -> out`` that takes the edits so far and
returns them with its own (sorted; ``tokens.in_order``), and names whether it also runs while a vetter's
training proposals are collected (``in_proposals``): the passes that only read the decoder's output stay out
of the vetter's training, so adding or changing one never retrains a model. Each pass checks its own
language setting or parameter and returns ``out`` unchanged when it is off.

In order (``PASSES``):

1. ``context-words``: the short real words the character context model decides in their sentence
   (``contextwords.py``: ``il`` printed for ``à``), and the familiar second person left as printed;
2. ``letter-spaced``: a word printed letter-spaced, joined (``spaced.py``: ``F r e i w i l l i g``), and read by
   the decoder once whole; before the lone-letter pass can take its letters for specks;
3. ``derived``: derived forms of words the decoder corrected elsewhere in the text (``derived.py``);
4. ``hyphen-spaces``: a hyphen read as a space (``hyphenspace.py``);
5. ``junk-letters``: lone letters that are no word, deleted between two words (``singles.py``);
6. ``long-s``: in a text that prints the long s, an ``s`` an edit writes is written ``ſ`` (``historical.py``); with
   ``long_s_written`` also in a text whose OCR reads its long s as f (``moft``, ``fome``: ``scoring._shows_long_s``);
7. ``lowered``: a capitalised word in mid-sentence that the training pairs had in small letters, written small
   (``casing.py``: ``the grains In the soil``);
8. ``signs``: sums of money, ordinals and ``&c.`` (``signs.py``), which replace any word edit inside their tokens;
9. ``mark-fixes``: the language's fixes of stray marks (``marks.py``);
10. ``foreign``: the edits inside a sentence of another language are dropped (``foreign.py``); the sentences
   go to ``Doc.foreign``.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, NamedTuple

from .derived import with_derived
from .foreign import in_language
from .historical import LONG_S_MIN, uses_long_s, with_long_s
from .hyphenspace import with_hyphen_spaces
from .marks import with_mark_fixes
from .signs import ETC_RE, etc_edits, money_edits, ordinal_edits
from .spaced import RULE as SPACED_RULE, letter_spaced_edits
from .tokens import Correction, _common_affixes, apply_corrections, in_order, touches


class Doc(NamedTuple):
    """What the passes read: the text, its tokens and their lower-cased forms, the document's word counts,
    and the list the foreign sentences are reported into (None: not reported)."""
    text: str
    toks: list
    lows: list
    vocab: Counter
    foreign: list | None


class Pass(NamedTuple):
    name: str
    run: Callable  # (corrector, Doc, out) -> out
    in_proposals: bool  # also while a vetter's training proposals are collected


def context_words(c, d: Doc, out: list[Correction]) -> list[Correction]:
    setting = c.model.language["context_words"]
    if setting is None:
        return out
    from .contextwords import context_word_edits, familiar_kept

    if c.context_lm is not None or c.model.data.get("context_model"):  # (else nothing to decide with)
        out = context_word_edits(d.text, d.toks, d.lows, out, c.model.realword, c._charlm(), setting,
                                 c._protect, c.lm.p, c.candidates, c.lm.cond)
    return familiar_kept(d.text, out, d.vocab, setting.get("familiar"))


def derived(c, d: Doc, out: list[Correction]) -> list[Correction]:
    return with_derived(c, d.text, d.toks, d.lows, out)


def hyphen_spaces(c, d: Doc, out: list[Correction]) -> list[Correction]:
    return with_hyphen_spaces(c, d.text, d.toks, d.lows, out)


def junk_letters(c, d: Doc, out: list[Correction]) -> list[Correction]:
    return c._with_junk_letters(d.text, d.toks, d.lows, out)


def letter_spaced(c, d: Doc, out: list[Correction]) -> list[Correction]:
    """The letter-spaced runs joined; a joined word no lexicon knows is then read by the decoder alone, with the
    document's word counts (``L n s t w a f s e`` -> ``Luftwaffe``), its edit as confident as the least sure part."""
    out = letter_spaced_edits(d.text, d.toks, out, c.model.language["letter_spaced"])
    for x in out:
        if x.rule == SPACED_RULE and c._unknown(x.after.lower()):
            fixes = c.corrections(x.after, d.vocab)
            if fixes:
                x.after = apply_corrections(x.after, fixes)
                x.confidence = min([x.confidence] + [f.confidence for f in fixes])
    return out


def long_s(c, d: Doc, out: list[Correction]) -> list[Correction]:
    if c.model.language["long_s"] and uses_long_s(d.vocab) or \
            c.P.long_s_written and c._shows_long_s(d.vocab, c.P.long_s_evidence or LONG_S_MIN):
        for x in out:  # fich -> ſich in a text that prints the long s
            x.after = with_long_s(x.before, x.after, d.text[x.end:x.end + 1])
    return out


def lowered(c, d: Doc, out: list[Correction]) -> list[Correction]:
    """A capitalised word in mid-sentence whose learned share of small letters reaches the threshold (casing.py),
    its first letter written small, where no edit touches the word."""
    spans = [(x.start, x.end) for x in out]
    made = [Correction(s, s + 1, d.text[s], d.text[s].lower(), round(share, 4), "lowered")
            for s, e, share in c.model.lowered.words(d.text)
            if share >= c.threshold and not touches(spans, s, e)]
    return in_order(out, made)


def signs(c, d: Doc, out: list[Correction]) -> list[Correction]:
    """The corrections of misread sums of money, ordinals and ``&c.``, which replace any word edit inside their
    tokens."""
    edits = []
    text = d.text
    if c.P.money:
        fp = c.P.frequent_p
        conf = c.P.money_confidence
        edits += [(s, e, b, a, conf, "money") for s, e, b, a in money_edits(text, lambda w: c.lm.p(w) >= fp)]
    if c.P.ordinals:
        edits += [(s, e, b, a, c.P.ordinal_confidence, "ordinal") for s, e, b, a in ordinal_edits(text)]
    if c.model.etc_forms:
        forms = c.model.etc_forms
        edits += [(s, e, b, a, forms[ETC_RE.match(b).group(2).lower()], "et-cetera")
                  for s, e, b, a in etc_edits(text, forms)]
    edits = [x for x in edits if x[4] >= c.threshold]
    if not edits:
        return out
    spans = [(s, e) for s, e, *_ in edits]
    kept = [x for x in out if not any(x.start < e and s < x.end or s <= x.start < e for s, e in spans)]
    made = []
    for s, e, b, a, conf, rule in edits:
        p, q = _common_affixes(b, a)
        made.append(Correction(s + p, e - q, b[p:len(b) - q], a[p:len(a) - q], round(conf, 4), rule))
    return in_order(kept, made)


def mark_fixes(c, d: Doc, out: list[Correction]) -> list[Correction]:
    return with_mark_fixes(c, d.text, out)


def foreign(c, d: Doc, out: list[Correction]) -> list[Correction]:
    out, kept = in_language(c, d.text, out, report=d.foreign is not None)
    if d.foreign is not None:
        d.foreign.extend(kept)
    return out


PASSES = (
    Pass("context-words", context_words, False),
    Pass("letter-spaced", letter_spaced, False),
    Pass("derived", derived, False),
    Pass("hyphen-spaces", hyphen_spaces, False),
    Pass("junk-letters", junk_letters, False),
    Pass("long-s", long_s, True),
    Pass("lowered", lowered, False),
    Pass("signs", signs, True),
    Pass("mark-fixes", mark_fixes, False),
    Pass("foreign", foreign, False),
)


def after_decoder(corrector, doc: Doc, out: list[Correction], passes=PASSES) -> list[Correction]:
    """The decoder's edits ``out`` through each pass of ``passes`` in order (only the ``in_proposals`` ones while
    the corrector collects a vetter's training proposals)."""
    collecting = corrector.proposals is not None
    for p in passes:
        if p.in_proposals or not collecting:
            out = p.run(corrector, doc, out)
    return out
