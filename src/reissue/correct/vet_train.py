"""Training the edit vetter (see ``vet``): held-out proposals of the corrector by cross-validation,
labelled by their effect against the ground truth, and the trees fitted on them.

Kept apart from ``vet`` (which the model loads to run a stored vetter) because it runs the corrector
itself: ``engine`` -> ``model`` -> ``vet`` stays a chain, with no loop back.
"""

from __future__ import annotations

import bisect
import itertools
import math
import zlib
from typing import Callable, Iterable, Sequence

from rapidfuzz.distance import Levenshtein

from ..errors import UsageError
from .engine import Corrector
from .model import CorrectionModel
from .noise import Misreader, misread_share
from .train import fit as fit_base
from .vet import FEATURES, MONOTONIC, feature_names

FOLDS = 4


def default_groups(pairs: Sequence) -> list[str]:
    """Each document its own group (folds then fall at random)."""
    return [str(i) for i in range(len(pairs))]


def fold_context_model(train: Sequence[tuple[str, str]]):
    """The character context model of a fold: fitted on the ground truth of its training documents,
    the way scripts/train_context_model.py fits the shipped one on all of them."""
    from .context import CharLM
    from .context import fit as fit_context
    from .train import clean_gt

    return CharLM(fit_context([clean_gt(g) for _o, g in train]))


def collect_proposals(pairs: Sequence[tuple[str, str]], groups: Sequence[str], fit: Callable,
                      params: dict | None = None, context: Callable | None = None, clean: float = 0.0,
                      synthetic: float = 0.0, doc: bool = False) -> list[tuple[int, list[float], int, float]]:
    """Held-out proposals with their gains and weights: [(fold, features, gain, weight)].

    ``fit(pairs) -> model dict`` trains the base model (``train.fit``); each fold is corrected by
    a model trained on the other folds, with the posterior threshold deciding (no vetter), and all
    proposals of the pass whose edits are kept are recorded.

    ``context(train pairs) -> CharLM``: the context model of each fold (``fold_context_model``); its
    score of each proposal is then in the last two features (``vet.CONTEXT_FEATURES``), as the vetter of a
    model with a context model sees it. ``doc``: the document's share of unknown words is the last column
    (``vet.DOC_FEATURES``).

    ``clean`` (> 0): each held-out document's ground truth is corrected too, as if it were the OCR, and
    its proposals (every edit made there damages clean text) are rows of this weight; the others weigh 1.

    ``synthetic`` (> 0): each held-out document's ground truth is also misread by the fold model's
    learned confusions (``noise.Misreader``, as many of its words as the document's OCR misreads),
    corrected, and its proposals are rows of this weight.
    """
    folds = [fold_of(g) for g in groups]
    names = feature_names(context is not None, doc)  # the columns of a row
    rows = []
    for k in sorted(set(folds)):
        train = [p for p, f in zip(pairs, folds) if f != k]
        if not train:
            continue
        data = fit(train)
        data["params"] = dict(params or {})
        data.pop("edit_filter", None)
        corrector = Corrector(CorrectionModel(data))
        if context is not None:
            corrector.context_lm = context(train)
        misread = Misreader(data.get("char_rules") or []) if synthetic > 0 else None
        for (ocr, gt), f in zip(pairs, folds):
            if f != k:
                continue
            # the OCR (weight 1), then its ground truth as if it were the OCR (``clean``), then the
            # ground truth misread (``synthetic``)
            texts = [(ocr, 1.0)] + ([(gt, clean)] if clean > 0 else [])
            if misread is not None:
                texts.append((misread.text(gt, misread_share(ocr, gt)), synthetic))
            for text, weight in texts:
                corrector.proposals = []
                corrector.corrections(text)  # the document's vocabulary: its own text
                gain = labeller(text, gt)
                rows.extend((k, [x[name] for name in names], gain(corr), weight) for x, corr in corrector.proposals)
        corrector.proposals = None
    return rows


def vet_model(data: dict, pairs: Iterable[tuple[str, str]], *, groups: Sequence[str] | None = None,
              fit: Callable | None = None, context_model: str | None = None, clean: float = 0.0,
              synthetic: float = 0.0, size: dict | None = None, doc: bool = False) -> dict:
    """Add an edit vetter, trained by cross-validation on ``pairs``, to the model dict ``data``.

    ``context_model``: the file name of the character context model (``context.DEFAULT_NAME``, fitted
    on the same ground truth) whose score the vetter then weighs; recorded in the model. ``clean``: the
    weight of the proposals made in the ground truth itself (``collect_proposals``; 0: none), ``synthetic``
    the weight of those made in the ground truth misread by the fold model's confusions (0: none). ``size``: the
    trees' ``max_iter`` / ``max_leaf_nodes`` of ``fit_vetter`` (None: its defaults). ``doc``: the vetter weighs
    the document's share of unknown words (``vet.DOC_FEATURES``)."""
    pairs = list(pairs)
    groups = list(groups) if groups is not None else default_groups(pairs)
    rows = collect_proposals(pairs, groups, fit or fit_base, data.get("params"),
                             fold_context_model if context_model else None, clean, synthetic, doc)
    data = dict(data)
    features = feature_names(bool(context_model), doc)
    data["edit_filter"] = fit_vetter([(x, g, w) for _k, x, g, w in rows], features=features, **(size or {}))
    if clean > 0:
        data["edit_filter"]["clean_weight"] = clean
    if synthetic > 0:
        data["edit_filter"]["synthetic_weight"] = synthetic
    if context_model:
        data["context_model"] = context_model
    return data


def fit_vetter(rows: list[tuple], *, max_iter: int = 80, learning_rate: float = 0.12, max_leaf_nodes: int = 15,
               seed: int = 0, features: Sequence[str] = FEATURES, bags: int = 1) -> dict:
    """Fit the vetter on (features, gain) or (features, gain, weight) rows; gain = characters of error
    removed (negative: added).

    Rows with gain 0 teach nothing and are left out; the others are weighted by how many characters
    they gain or lose, times their weight (default 1). Returns the dict stored under ``edit_filter`` in a model file. ``features``:
    the names of the row's columns (``vet.feature_names``).

    80 trees at learning rate 0.12 score as well on held-out train as 200 at 0.05 (cMER within 0.1
    point on every split) and are 2.5 times cheaper to evaluate. ``max_iter`` and ``max_leaf_nodes``: per
    language in scripts/train_model.py VET_SIZES (none set; what was tried is noted there).

    ``bags`` > 1: that many ensembles, each fitted on a bootstrap resample of the rows (each row's weight
    times a Poisson(1) count drawn from the row itself, ``_poisson_counts``), averaged: their trees are
    stored as one ensemble whose log-odds are the mean of theirs (base the mean, every leaf divided by
    ``bags``). A steadier vetter (5 bags: about 40% fewer decisions flip when 5% of the English rows are
    dropped), at 0.2-0.3 point of held-out cMER: not used by the shipped models.
    """
    try:
        import numpy as np
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise UsageError("training the edit vetter needs scikit-learn",
                         hint="pip install 'reissue[train]', or train without it (--no-vet)") from exc
    use = [(r[0], r[1], r[2] if len(r) > 2 else 1.0) for r in rows if r[1] != 0]
    if len(use) < 50 or len({g > 0 for _x, g, _w in use}) < 2:
        raise UsageError(f"too few proposals with a known effect to train the edit vetter ({len(use)})",
                         hint="give more corrected pages, or train without it (--no-vet)")
    X = np.array([x for x, _g, _w in use], dtype=float)
    y = np.array([1 if g > 0 else 0 for _x, g, _w in use])
    w = np.array([abs(g) * wt for _x, g, wt in use], dtype=float)
    parts = []
    for b in range(bags):
        clf = HistGradientBoostingClassifier(max_iter=max_iter, learning_rate=learning_rate, max_leaf_nodes=max_leaf_nodes,
                                             min_samples_leaf=40, early_stopping=False, random_state=seed,
                                             monotonic_cst=[MONOTONIC.get(f, 0) for f in features])
        wb = w if bags == 1 else w * _poisson_counts(use, seed + b)
        clf.fit(X, y, sample_weight=wb)
        parts.append(export_trees(clf, features))
    data = parts[0] if bags == 1 else {
        "features": list(features), "base": sum(p["base"] for p in parts) / bags,
        "trees": [t[:4] + [[v / bags for v in t[4]]] for p in parts for t in p["trees"]]}
    data["rows"] = len(use)
    return data


def _poisson_counts(rows: list, salt: int):
    """A Poisson(1) count for each row, drawn from the row itself (its features and gain) and salt: a row
    keeps its count whatever other rows come or go, so bootstraps of similar row sets stay alike."""
    import numpy as np

    cdf = list(itertools.accumulate(math.exp(-1) / math.factorial(k) for k in range(12)))
    out = []
    for x, g, _w in rows:
        u = zlib.crc32(repr((x, g, salt)).encode()) / 2**32
        out.append(bisect.bisect(cdf, u))
    return np.array(out, dtype=float)


def export_trees(clf, features: Sequence[str] = FEATURES) -> dict:
    """The trees of a fitted binary HistGradientBoostingClassifier as plain lists (see Vetter)."""
    import numpy as np

    trees = []
    for (pred,) in clf._predictors:  # one predictor per iteration for a binary problem
        nodes = pred.nodes
        trees.append([
            [(-1 if n["is_leaf"] else int(n["feature_idx"])) for n in nodes],
            [float(n["num_threshold"]) for n in nodes],
            [int(n["left"]) for n in nodes],
            [int(n["right"]) for n in nodes],
            [float(n["value"]) for n in nodes],
        ])
    return {"features": list(features), "base": float(np.ravel(clf._baseline_prediction)[0]), "trees": trees}


def gt_offsets(ocr: str, gt: str) -> list[int | None]:
    """OCR offset -> ground-truth offset (0..len(ocr) inclusive), from the Levenshtein alignment."""
    pos: list[int | None] = [None] * (len(ocr) + 1)
    for op in Levenshtein.opcodes(ocr, gt):
        for q in range(op.src_start, op.src_end + 1):
            if op.tag == "equal":
                pos[q] = op.dest_start + (q - op.src_start)
            elif pos[q] is None:
                pos[q] = op.dest_start if q == op.src_start else op.dest_end
    return pos


def labeller(ocr: str, gt: str) -> Callable:
    """gain(correction): characters of error an edit removes from its word(s) (negative: adds),
    against the ground truth aligned to them, both normalised as the scorer does."""
    from ..evaluate import normalize
    from .tokens import whole_words

    pos = gt_offsets(ocr, gt)

    def gain(corr) -> int:
        word = whole_words(ocr, [corr])[0]  # the edit widened to its whole word(s)
        g = normalize(gt[pos[word.start]:pos[word.end]])
        before, after = normalize(word.before), normalize(word.after)
        return Levenshtein.distance(before, g) - Levenshtein.distance(after, g)

    return gain


def fold_of(group: str) -> int:
    return zlib.crc32(group.encode()) % FOLDS
