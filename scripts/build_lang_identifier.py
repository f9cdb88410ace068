#!/usr/bin/env python
"""Build ``src/reissue/data/lang-identifier.bin``: py3langid's model restricted to reissue's candidates,
its byte automaton as a double-array trie (reissue.langident).

    .venv/bin/python scripts/build_lang_identifier.py            # write the shipped file
    .venv/bin/python scripts/build_lang_identifier.py --check    # does it rebuild byte for byte?

py3langid (BSD licence) ships its model as an xz-compressed npz of every language it knows (142 columns,
68 MB unpacked): decompressing it costs about 0.35 CPU s at every start of reissue. This file holds the
feature weights of :data:`reissue.lang.CANDIDATES` only, and in place of the automaton's dense table of
next states (39 MB unpacked, 0.06 CPU s to unpack) the trie of its states as a double array (about
1.3 MB), not compressed (11.5 MB, read in about 5 ms where unpacking took 0.04-0.1 CPU s): the
identifier's probabilities are exactly those of py3langid's own model restricted to the candidates. The build checks every state and byte of the automaton against the trie
(:func:`reissue.langident.check_automaton`) and refuses to write a file that differs.

Layout (deterministic): a line ``reissue-lang-identifier/2``, a JSON header on one line (py3langid's
version and the sha256 of its model file, the classes, the offset of the arrays, then per array its
dtype, shape and byte offset from there), blanks up to that offset (a multiple of 64: the arrays
aligned), then the arrays' bytes (little-endian) one after the other, each at a multiple of 64: ptc,
pc, base, check, feat.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from reissue.lang import CANDIDATES  # noqa: E402
from reissue.langident import (ARRAYS, IDENTIFIER_FILE, IDENTIFIER_MAGIC, check_automaton,  # noqa: E402
                               from_automaton, py3langid_model)


def build() -> bytes:
    import numpy as np
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    packed = open(os.path.join(MODEL_DIR, MODEL_FILE), "rb").read()
    ptc, pc, classes, nextmove, row, out_feat = py3langid_model(CANDIDATES)
    ident = from_automaton(ptc, pc, classes, nextmove, row, out_feat)
    bad = check_automaton(ident, nextmove, row, out_feat)
    if bad:
        raise SystemExit(f"the trie differs from py3langid's automaton at {bad} (state, byte) pairs")
    arrays = {"ptc": ident.ptc, "pc": ident.pc, "base": ident.base, "check": ident.check, "feat": ident.feat}
    header = {"py3langid": getattr(py3langid, "__version__", None) or _version(),
              "source_sha256": hashlib.sha256(packed).hexdigest(), "classes": classes, "arrays": {}}
    body, offset = [], 0
    for name in ARRAYS:
        a = np.ascontiguousarray(arrays[name])
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        pad = -offset % 64  # each array aligned
        body.append(b"\0" * pad)
        offset += pad
        header["arrays"][name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset}
        body.append(a.tobytes())
        offset += a.nbytes
    header["data_offset"] = 64
    while True:  # the offset written in the header is the header's padded size
        line = (IDENTIFIER_MAGIC + "\n" + json.dumps(header, sort_keys=True) + "\n").encode()
        head = line + b" " * (-len(line) % 64)
        if len(head) == header["data_offset"]:
            return head + b"".join(body)
        header["data_offset"] = len(head)


def _version() -> str:
    from importlib.metadata import version

    return version("py3langid")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", default=IDENTIFIER_FILE)
    ap.add_argument("--check", action="store_true", help="compare a rebuild with the file; exit 1 if they differ")
    a = ap.parse_args(argv)
    data = build()
    if a.check:
        same = os.path.isfile(a.output) and open(a.output, "rb").read() == data
        print(f"{a.output}: {'rebuilt byte for byte' if same else 'DIFFERS from the rebuilt file'}")
        return 0 if same else 1
    with open(a.output, "wb") as fh:
        fh.write(data)
    print(f"{a.output}: {len(data) / 1e6:.2f} MB, sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
