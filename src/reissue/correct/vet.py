"""Edit vetting: a learned second opinion on every proposed correction.

The noisy-channel decoder (``engine``) proposes an edit whenever its posterior passes a low bar
(``vet_min_post``). A small gradient-boosted tree ensemble, trained on held-out proposals whose
effect is known from the ground truth, then says how likely the edit is to make the text better.
That probability is the edit's confidence, and the edit is made when it reaches the threshold.

It sees what the posterior alone cannot weigh well: whether the candidate was ever printed in the
training text (``payroll`` and ``computers`` were not), how garbled the neighbourhood is, the left
and right context separately, stray marks in the printed form, and the rule that proposed the edit.

Training (``fit_vetter``) needs scikit-learn (``pip install 'reissue[train]'``); using a trained
vetter needs nothing: the trees are stored in the model file as plain lists and compiled to Python.

Proposals are collected by cross-validation (``vet_train.collect_proposals``): the documents are put in
folds, a model is trained on all folds but one, and it corrects the held-out fold with every
proposal recorded. Each proposal is labelled by the change it makes to the edit distance between
the text and its ground truth, both normalised the way the HIPE-OCRepair scorer does.
"""

from __future__ import annotations

import math
import zlib
from typing import Callable, Sequence

from rapidfuzz.distance import Levenshtein

from ..errors import UsageError

# the order of the feature vector; stored in the model so that a model and the code must agree
#
# Left out, each measured on held-out train: how much the printed form looks like a word and how often
# the document prints it (already in the decoder's "keep" score), the document's share of unknown
# words and the change in length (they describe the training collections more than the edit). Without
# them, and with the printed form's digits, apostrophes and other marks counted apart, held-out train
# cMER is about the same (icdar -26.6% -> -26.7%, overproof -30.6% -> -30.0%, impresso -19.9% ->
# -21.6%), and confident fixes in clean documents (``Comintem``, ``in tum``, ``devasta~ion`` on the
# example pages) are no longer overruled for looking unlike the training documents.
FEATURES = (
    "logit_post", "margin", "gap_second",
    "rule_confusion", "rule_edit_distance", "rule_split", "rule_real_word", "rule_merge", "rule_merge_confusion",
    "log_p_ocr", "log_p_cand", "train_count_cand", "train_count_ocr", "channel_lp",
    "length", "distance", "digits", "apostrophes", "marks", "name_like", "all_caps", "no_prev", "no_next", "window_oov",
    "left_keep", "right_keep", "left_cand", "right_cand", "doc_count_cand", "sym_count_ocr", "sym_count_cand",
    "n_cands",
    "train_bigram_left_ocr", "train_bigram_right_ocr", "sym_bigram_left_ocr", "sym_bigram_right_ocr",
    "train_bigram_left_cand", "train_bigram_right_cand", "sym_bigram_left_cand", "sym_bigram_right_cand",
)
# more evidence for the candidate never makes the edit less likely right, more for the printed form
# never more likely (monotonic constraints of the trees; held-out train: the same scores)
MONOTONIC = {"logit_post": 1, "margin": 1, "gap_second": 1, "channel_lp": 1, "left_cand": 1, "right_cand": 1,
             "log_p_cand": 1, "train_count_cand": 1, "sym_count_cand": 1, "doc_count_cand": 1,
             "left_keep": -1, "right_keep": -1, "log_p_ocr": -1, "train_count_ocr": -1, "sym_count_ocr": -1,
             **{f"{src}_bigram_{side}_{w}": (1 if w == "cand" else -1)
                for src in ("train", "sym") for side in ("left", "right") for w in ("ocr", "cand")}}
# the character context model's log-likelihood gain of the edit in its sentence (context.py), clipped
# to +-CONTEXT_LIMIT: two more features, last, of a model whose vetter was trained with them (English):
# the gain of an edit of a name-like word (capitalised in mid-sentence) apart from the others, since
# the model is a poor judge of rare names ("the Comintern was" reads 12 nats less likely to it than
# "the Comintem was"); the other one is 0 for each edit
CONTEXT_FEATURE = "context_delta"
CONTEXT_NAME_FEATURE = "context_delta_name"
CONTEXT_FEATURES = (CONTEXT_FEATURE, CONTEXT_NAME_FEATURE)
CONTEXT_LIMIT = 8.0
MONOTONIC[CONTEXT_FEATURE] = MONOTONIC[CONTEXT_NAME_FEATURE] = 1
RULES = ("confusion", "edit-distance", "split", "real-word", "merge", "merge-confusion")
FOLDS = 4


class Vetter:
    """A stored tree ensemble: P(edit improves the text | features).

    The trees are compiled once into one Python function of nested comparisons, about three times
    faster than walking the node lists.
    """

    def __init__(self, data: dict):
        names = tuple(data.get("features", ()))
        if names not in (FEATURES, FEATURES + CONTEXT_FEATURES):
            raise ValueError("edit vetter features differ from this version's; retrain the model")
        self.data = data
        self.features = names
        self.uses_context = names[-1] == CONTEXT_NAME_FEATURE  # needs the character context model
        self._score = _compile(float(data["base"]), data["trees"])

    def prob(self, x: Sequence[float]) -> float:
        s = self._score(x)
        return 1.0 / (1.0 + math.exp(-s)) if s > -500 else 0.0


def _compile(base: float, trees: list) -> Callable:
    """def score(x): the ensemble's log-odds, as nested if/else (left when x[feature] <= threshold)."""
    used = sorted({int(f) for feat, *_rest in trees for f in feat if f >= 0})
    # the features as local names (x3 rather than x[3]): about a fifth faster
    lines = ["def score(x):", f"    s = {base!r}"]
    if used:
        lines.append(f"    {''.join(f'x{f}, ' for f in used)}= {''.join(f'x[{f}], ' for f in used)}")
    for feat, thr, left, right, value in trees:
        for col in (left, right, value):
            if len(col) != len(feat):
                raise ValueError("edit vetter tree is malformed")

        def emit(node: int, depth: int) -> None:
            pad = "    " * depth
            if feat[node] < 0:
                lines.append(f"{pad}s += {float(value[node])!r}")
                return
            lines.append(f"{pad}if x{int(feat[node])} <= {float(thr[node])!r}:")
            emit(int(left[node]), depth + 1)
            lines.append(f"{pad}else:")
            emit(int(right[node]), depth + 1)
        emit(0, 1)
    lines.append("    return s")
    namespace: dict = {}
    exec(compile("\n".join(lines), "<edit vetter>", "exec"), namespace)  # code made from numbers only
    return namespace["score"]


def fit_vetter(rows: list[tuple[list[float], int]], *, max_iter: int = 80, learning_rate: float = 0.12,
               seed: int = 0, features: Sequence[str] = FEATURES) -> dict:
    """Fit the vetter on (features, gain) rows; gain = characters of error removed (negative: added).

    Rows with gain 0 teach nothing and are left out; the others are weighted by how many characters
    they gain or lose. Returns the dict stored under ``edit_filter`` in a model file. ``features``:
    the names of the row's columns (FEATURES, or FEATURES plus CONTEXT_FEATURES).

    80 trees at learning rate 0.12 score as well on held-out train as 200 at 0.05 (cMER within 0.1
    point on every split) and are 2.5 times cheaper to evaluate.
    """
    try:
        import numpy as np
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise UsageError("training the edit vetter needs scikit-learn",
                         hint="pip install 'reissue[train]', or train without it (--no-vet)") from exc
    use = [(x, g) for x, g in rows if g != 0]
    if len(use) < 50 or len({g > 0 for _x, g in use}) < 2:
        raise UsageError(f"too few proposals with a known effect to train the edit vetter ({len(use)})",
                         hint="give more corrected pages, or train without it (--no-vet)")
    X = np.array([x for x, _g in use], dtype=float)
    y = np.array([1 if g > 0 else 0 for _x, g in use])
    w = np.array([abs(g) for _x, g in use], dtype=float)
    clf = HistGradientBoostingClassifier(max_iter=max_iter, learning_rate=learning_rate, max_leaf_nodes=15,
                                         min_samples_leaf=40, early_stopping=False, random_state=seed,
                                         monotonic_cst=[MONOTONIC.get(f, 0) for f in features])
    clf.fit(X, y, sample_weight=w)
    data = export_trees(clf, features)
    data["rows"] = len(use)
    return data


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
