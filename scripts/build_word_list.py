#!/usr/bin/env python
"""Build ``src/reissue/data/wordlist-<lang>.bin``: the plain words of the installed wordfreq list of a
language, for reflow's line-end hyphens.

    .venv/bin/python scripts/build_word_list.py --lang en            # write the shipped file
    .venv/bin/python scripts/build_word_list.py --lang en --check    # does it rebuild byte for byte?

Reflow asks wordfreq's Zipf frequency of a few hundred words per issue (reissue.wordfreqs.zipf); reading
the whole list into a dict for them costs about 0.1 CPU s at every build without correction. This file
holds the list's plain words (lower-case ASCII letters, apostrophes inside: the words looked up without
wordfreq's tokenizer), sorted, with the bucket each is in (the same frequency as wordfreq's dict gives:
the last bucket a word is in), so that a word is found by bisecting the first words of blocks of
sorted words. The file records the wordfreq list it was built from (``wordfreqs.list_id``); a build with
another list installed does not use it (reissue.wordfreqs.compact).

Layout (deterministic): the line ``reissue-plain-words/2``, a JSON header on one line (language, list,
counts, block size, size of the rest), then, not compressed (3.2 MB for English, read in about 1 ms where
unpacking took 0.01-0.02 CPU s at every build): each block's byte offset in the words (uint32
little-endian), the sorted words joined by newlines (ASCII), each word's bucket (uint16 little-endian).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from reissue import wordfreqs  # noqa: E402

BLOCK = 64  # words per block: a look-up splits one block


def build(lang: str) -> bytes:
    import msgpack

    path = wordfreqs._list_file(lang)
    if path is None or lang not in wordfreqs._PLAIN:
        raise SystemExit(f"no wordfreq list of {lang!r} read without its tokenizer")
    with gzip.open(path, "rb") as fh:
        data = msgpack.unpackb(fh.read(), raw=False)
    bucket: dict[str, int] = {}
    for index, words in enumerate(data[1:]):  # the last bucket a word is in, as wordfreq's dict has it
        for w in words:
            bucket[w] = index
    freqs = wordfreqs._read_list(lang)
    words = sorted(w for w in bucket if wordfreqs._PLAIN_WORD.fullmatch(w))
    for w in words:
        if 10 ** (-bucket[w] / 100) != freqs[w]:
            raise SystemExit(f"{w!r}: bucket {bucket[w]} is not wordfreq's frequency {freqs[w]}")
    joined = "\n".join(words).encode("ascii")
    offsets, at = array("I"), 0
    for i, w in enumerate(words):
        if i % BLOCK == 0:
            offsets.append(at)
        at += len(w) + 1
    buckets = array("H", (bucket[w] for w in words))
    if sys.byteorder != "little":  # pragma: no cover
        offsets.byteswap()
        buckets.byteswap()
    payload = offsets.tobytes() + joined + buckets.tobytes()
    head = {"lang": lang, "list_id": wordfreqs.list_id(lang), "words": len(words), "blocks": len(offsets),
            "block": BLOCK, "size": len(payload)}
    return wordfreqs.WORD_LIST_MAGIC + json.dumps(head, sort_keys=True).encode() + b"\n" + payload


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", default="en", choices=wordfreqs.WORD_LIST_LANGS)
    ap.add_argument("-o", "--output", default=None, help="default: the shipped file of --lang")
    ap.add_argument("--check", action="store_true", help="compare a rebuild with the file; exit 1 if they differ")
    a = ap.parse_args(argv)
    out = a.output or wordfreqs.WORD_LIST_FILE.format(lang=a.lang)
    data = build(a.lang)
    if a.check:
        same = os.path.isfile(out) and open(out, "rb").read() == data
        print(f"{out}: {'rebuilt byte for byte' if same else 'DIFFERS from the rebuilt file'}")
        return 0 if same else 1
    with open(out, "wb") as fh:
        fh.write(data)
    print(f"{out}: {len(data) / 1e6:.2f} MB, sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
