#!/usr/bin/env python
"""Build the correction model shipped in the package, reproducibly, on CPU (about 40 s).

    .venv/bin/python scripts/train_default_model.py [--data ../shared/data/hipe-en] [-o src/reissue/data/correct-model-en.json.gz]

Trains on the *train* splits only (never dev/test) of the HIPE-OCRepair English data: the channel
and language model counts (``train.fit``), then the edit vetter (``vet_train.vet_model``: 4-fold
cross-validation grouped by source, gradient-boosted trees; needs ``pip install -e '.[train]'``).
The output is byte-identical for the same input and library versions (sorted JSON, gzip mtime 0,
fixed seed). See src/reissue/data/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from reissue.correct.model import DEFAULT_MODEL_NAME, save_model_dict  # noqa: E402
from reissue.correct.hipe import source_of  # noqa: E402
from reissue.correct.train import fit, read_hipe  # noqa: E402
from reissue.correct.vet_train import vet_model  # noqa: E402

SPLITS = ["icdar2017-train.jsonl", "overproof-train.jsonl", "impresso-snippets-train.jsonl"]
LICENCES = {
    "icdar2017-train.jsonl": "CC BY-NC-SA 4.0",
    "overproof-train.jsonl": "very likely public domain (not explicitly stated)",
    "impresso-snippets-train.jsonl": "CC BY-NC-SA 4.0",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data", "hipe-en"))
    ap.add_argument("-o", "--output", default=os.path.join(HERE, "..", "src", "reissue", "data", DEFAULT_MODEL_NAME))
    ap.add_argument("--splits", nargs="+", default=SPLITS,
                    help="train files to use (e.g. only overproof-train.jsonl for a model free of NC data)")
    ap.add_argument("--no-vet", dest="vet", action="store_false", help="no edit vetter (no scikit-learn needed)")
    a = ap.parse_args(argv)
    for s in a.splits:
        if "-train" not in s:
            ap.error(f"{s}: only train splits may be used")

    pairs, groups = [], []
    for s in a.splits:
        for ocr, gt, doc_id in read_hipe(os.path.join(a.data, s), with_ids=True):
            pairs.append((ocr, gt))
            groups.append(source_of(doc_id))

    data = fit(pairs, sources=[f"hipe-ocrepair-bench v0.9 English {s} ({LICENCES.get(s, 'see its licence')})"
                                 for s in a.splits])
    nc = any("NC" in LICENCES.get(s, "NC") for s in a.splits)
    data["licence"] = ("CC BY-NC-SA 4.0 (derived from CC BY-NC-SA 4.0 training data)" if nc
                       else "public domain data only; the model file may be redistributed freely")
    if a.vet:
        data = vet_model(data, pairs, groups=groups)
    save_model_dict(data, a.output)
    digest = hashlib.sha256(open(a.output, "rb").read()).hexdigest()[:16]
    print(f"{a.output}: {os.path.getsize(a.output) / 1e6:.2f} MB, sha256 {digest}, "
          f"{data['documents']} documents, {len(data['char_rules'])} character confusions, "
          f"{len(data['word_confusions'])} word confusions, {len(data['unigrams'])} words, "
          f"{len(data['bigrams'])} bigrams, "
          f"edit vetter: {len(data['edit_filter']['trees']) if data.get('edit_filter') else 0} trees")


if __name__ == "__main__":
    main()
