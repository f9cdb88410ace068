#!/usr/bin/env python
"""Build ``src/reissue/data/lang-identifier.bin.gz``: py3langid's model restricted to reissue's candidates.

    .venv/bin/python scripts/build_lang_identifier.py            # write the shipped file
    .venv/bin/python scripts/build_lang_identifier.py --check    # does it rebuild byte for byte?

py3langid (BSD licence) ships its model as an xz-compressed npz of every language it knows (142 columns,
68 MB unpacked): decompressing it costs about 0.35 CPU s at every start of reissue. This file holds the
same model, restricted to :data:`reissue.lang.CANDIDATES` (the byte-level tokenizer's tables unchanged, the
feature weights of the candidate languages only), gzip-compressed (about 0.1 CPU s to unpack): the
identifier's probabilities are exactly those of py3langid's own model restricted to the candidates.

Layout (deterministic: no time stamps): gzip of a line ``reissue-lang-identifier/1``, a JSON header on one
line (py3langid's version and the sha256 of its model file, then per array its dtype, shape and byte
offset), then the arrays' bytes (little-endian) one after the other.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import lzma
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from reissue.lang import CANDIDATES, IDENTIFIER_FILE, IDENTIFIER_MAGIC  # noqa: E402

ARRAYS = ("ptc", "pc", "nextmove", "nextmove_row", "out_feat")


def build() -> bytes:
    import numpy as np
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    src = os.path.join(MODEL_DIR, MODEL_FILE)
    packed = open(src, "rb").read()
    with np.load(io.BytesIO(lzma.decompress(packed)), allow_pickle=False) as d:
        classes = d["classes"].tolist()
        keep = [i for i, c in enumerate(classes) if c in set(CANDIDATES)]
        arrays = {"ptc": np.ascontiguousarray(d["ptc"][:, keep]), "pc": d["pc"][keep],
                  "nextmove": d["nextmove"].astype("<u4"), "nextmove_row": d["nextmove_row"],
                  "out_feat": d["out_feat"].astype("<i4")}
    header = {"py3langid": getattr(py3langid, "__version__", None) or _version(),
              "source_sha256": hashlib.sha256(packed).hexdigest(), "classes": [classes[i] for i in keep],
              "arrays": {}}
    body, offset = [], 0
    for name in ARRAYS:
        a = np.ascontiguousarray(arrays[name])
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        header["arrays"][name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset}
        body.append(a.tobytes())
        offset += a.nbytes
    raw = (IDENTIFIER_MAGIC + "\n" + json.dumps(header, sort_keys=True) + "\n").encode() + b"".join(body)
    return gzip.compress(raw, compresslevel=9, mtime=0)


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
