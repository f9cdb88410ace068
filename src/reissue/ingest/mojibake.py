"""MOJIBAKE: text decoded with the wrong encoding somewhere upstream (``Ã©`` for ``é``) repaired with
ftfy, line by line, each repair recorded as an edit of stage ``ingest`` (the raw text keeps it)."""

from __future__ import annotations

from ..chars import MOJIBAKE_SUSPECT
from ..model import Document, Page
from .decoding import add_problem

__all__ = ["repair_mojibake"]

_FTFY_CONFIG = None
FTFY_MAX_LINE = 100_000  # longer lines are not checked for mojibake (recorded as a problem)


def _ftfy_config():
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        import ftfy

        # only repair encoding errors: never touch quotes, ligatures, widths, entities,
        # control characters or Unicode normalisation of faithful text
        _FTFY_CONFIG = ftfy.TextFixerConfig(
            unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
            restore_byte_a0=True, replace_lossy_sequences=True, decode_inconsistent_utf8=True,
            fix_c1_controls=True, fix_latin_ligatures=False, fix_character_width=False,
            uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
            remove_control_chars=False, normalization=None, explain=True)
    return _FTFY_CONFIG


def _diff_regions(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """Minimal differing regions [(a0, a1, b0, b1)]; adjacent operations are merged."""
    from rapidfuzz.distance import Levenshtein

    regions: list[list[int]] = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        if regions and op.src_start == regions[-1][1]:
            regions[-1][1] = op.src_end
            regions[-1][3] = op.dest_end
        else:
            regions.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [tuple(r) for r in regions]  # type: ignore[misc]


def _rule_name(explanation) -> str:
    parts = []
    for step in explanation or ():
        action, param = step[0], step[1]
        parts.append(param if action == "apply" else f"{action}:{param}")
    return "ftfy:" + ("+".join(parts) or "fix_text")


def repair_mojibake(doc: Document, page: Page) -> int:
    """Run ftfy on each line of ``page`` it might change (chars.MOJIBAKE_SUSPECT: ftfy leaves the
    others as they are); record each repaired region as an edit."""
    n = 0
    for line in page.lines:
        s = line.str
        if s.isascii():
            continue
        if len(s) > FTFY_MAX_LINE:
            add_problem(doc, page.source, f"line {line.no + 1} has {len(s)} characters, not checked for mojibake",
                     "split the text into lines")
            continue
        if not MOJIBAKE_SUSPECT.search(s):
            continue
        import ftfy

        res = ftfy.fix_and_explain(s, config=_ftfy_config())
        if res.text == s:
            continue
        rule = _rule_name(res.explanation)
        conf = 0.9 if any(step[0] in ("encode", "decode", "transcode") for step in res.explanation or ()) else 0.95
        for a0, a1, b0, b1 in reversed(_diff_regions(s, res.text)):
            if line.text.replace(doc, a0, a1, res.text[b0:b1], stage="ingest", rule=rule,
                                 confidence=conf, note="mojibake repaired") is not None:
                n += 1
    return n


