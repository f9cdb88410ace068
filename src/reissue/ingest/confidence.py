"""OCR confidences of the input, for the correction stage to read.

The readers keep what the OCR engine said about each word: ALTO ``WC`` (and ``CC`` per character),
hOCR ``x_wconf``, PAGE ``TextEquiv/@conf`` (word, else line). They sit in
``page.info["lines"][n]["conf"]`` as ``[start, end, confidence, ...]`` relative to the raw line.

:class:`OcrConfidence` looks them up by reading-text span, so a corrector can ask how sure the
engine was of the word it is about to change::

    conf = OcrConfidence(doc)
    c = conf.of_text(paragraph.text, a, b)   # lowest confidence of the words under text[a:b], or None
    if c is not None and c >= conf.sure and edit_confidence < STRONG: leave the word as printed

``sure`` is calibrated per document (engines differ: ABBYY's WC runs high, Tesseract's lower): the
given threshold, but never below the median confidence of the document's words, so only the words
the engine was surer of than of most others are protected. :meth:`OcrConfidence.quantile` gives the
other end: the words the engine doubted most, relative to the same document.
"""

from __future__ import annotations

import bisect
import statistics
from typing import Callable


class OcrConfidence:
    def __init__(self, doc, threshold: float = 0.95):
        self.spans: dict[int, list[tuple[int, int, float]]] = {}
        values = []
        for page in doc.pages:
            info = page.info.get("lines") if isinstance(page.info, dict) else None
            if not info:
                continue
            out = []
            for ln in page.lines:
                d = info[ln.no] if ln.no < len(info) and isinstance(info[ln.no], dict) else {}
                for item in d.get("conf", ()):
                    s, e, c = item[0], item[1], item[2]
                    if c is not None:
                        out.append((ln.start + s, ln.start + e, float(c)))
                        values.append(float(c))
            if out:
                out.sort()
                self.spans[page.index] = out
        self.median = statistics.median(values) if values else None
        self.sure = max(threshold, self.median) if self.median is not None else threshold
        self._sorted = sorted(values)

    def quantile(self, q: float) -> float | None:
        """The confidence below which the share ``q`` of the document's words lie (None without any)."""
        v = self._sorted
        return v[min(len(v) - 1, int(q * len(v)))] if v else None

    def __bool__(self) -> bool:
        return bool(self.spans)

    def of_raw(self, page: int, start: int, end: int) -> float | None:
        """Lowest confidence of the words overlapping raw ``[start, end)`` of ``page``."""
        lst = self.spans.get(page)
        if not lst:
            return None
        i = bisect.bisect_left(lst, (start, -1, -1.0))
        i = max(0, i - 1)
        found = None
        while i < len(lst) and lst[i][0] < max(end, start + 1):
            s, e, c = lst[i]
            if e > start:
                found = c if found is None else min(found, c)
            i += 1
        return found

    def of_text(self, tt, a: int, b: int) -> float | None:
        """Lowest confidence of the words under ``tt.text[a:b]`` (verbatim parts only)."""
        return self.reader(tt)(a, b)

    def reader(self, tt) -> Callable[[int, int], float | None]:
        """``of(a, b)``: :meth:`of_text` of ``tt`` for the many spans a corrector asks about, the verbatim pieces
        under each found by bisection (a long paragraph has hundreds: one per line join); made again when the
        text has changed since."""
        seen = None  # the text the pieces were found in (held: the id of a freed one is never mistaken for it)
        spans: list = []  # its verbatim pieces (start, end, piece)
        ends: list = []

        def of(a: int, b: int) -> float | None:
            nonlocal seen, spans, ends
            if seen is not tt.text:
                seen = tt.text
                spans = [(s, e, p) for s, e, p in tt.offsets() if p.edit is None and e > s]
                ends = [e for _s, e, _p in spans]
            found = None
            i = bisect.bisect_right(ends, a)  # the first piece that ends after a
            while i < len(spans) and spans[i][0] < b:
                s, e, p = spans[i]
                lo, hi = max(a, s), min(b, e)
                if lo < hi:
                    c = self.of_raw(p.page, p.start + lo - s, p.start + hi - s)
                    if c is not None:
                        found = c if found is None else min(found, c)
                i += 1
            return found
        return of

    def is_sure(self, tt, a: int, b: int) -> bool:
        c = self.of_text(tt, a, b)
        return c is not None and c >= self.sure
