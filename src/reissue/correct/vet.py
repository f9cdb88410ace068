"""Edit vetting: a learned second opinion on every proposed correction.

The noisy-channel decoder (``engine``) proposes an edit whenever its posterior passes a low bar
(``vet_min_post``). A small gradient-boosted tree ensemble, trained on held-out proposals whose
effect is known from the ground truth, then says how likely the edit is to make the text better.
That probability is the edit's confidence, and the edit is made when it reaches the threshold.

It sees what the posterior alone cannot weigh well: whether the candidate was ever printed in the
training text (``payroll`` and ``computers`` were not), how garbled the neighbourhood is, the left
and right context separately, stray marks in the printed form, and the rule that proposed the edit.

This module is the vetter at run time: it reads the stored trees and needs nothing else (they are
plain lists in the model file, compiled to Python). Training it (``vet_train``: ``fit_vetter``,
the labels, the folds) needs scikit-learn (``pip install 'reissue[train]'``).

Proposals are collected by cross-validation (``vet_train.collect_proposals``): the documents are put in
folds, a model is trained on all folds but one, and it corrects the held-out fold with every
proposal recorded. Each proposal is labelled by the change it makes to the edit distance between
the text and its ground truth, both normalised the way the HIPE-OCRepair scorer does.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence

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
# the share of the document's words unknown to the lexicon (features.VetFeatures._unknown_share): one more
# feature, after those, of a model whose vetter was trained with it (its language's DOC_FEATURE_LANGS in
# scripts/train_model.py). A misread in a noisy document has many neighbours; an unknown word in a clean one
# is more often a rare word printed right
DOC_FEATURE = "doc_oov"
DOC_FEATURES = (DOC_FEATURE,)
MONOTONIC[DOC_FEATURE] = 1
RULES = ("confusion", "edit-distance", "split", "real-word", "merge", "merge-confusion")


def feature_names(context: bool = False, doc: bool = False) -> tuple[str, ...]:
    """The columns of a vetter's rows: FEATURES, then CONTEXT_FEATURES and DOC_FEATURES where it weighs them."""
    return FEATURES + (CONTEXT_FEATURES if context else ()) + (DOC_FEATURES if doc else ())


def feature_sets() -> tuple[tuple[str, ...], ...]:
    """Every column list a vetter of this version may be trained on."""
    return tuple(feature_names(c, d) for c in (False, True) for d in (False, True))


class Vetter:
    """A stored tree ensemble: P(edit improves the text | features).

    The trees are compiled once into one Python function of nested comparisons, about three times
    faster than walking the node lists.
    """

    def __init__(self, data: dict):
        names = tuple(data.get("features", ()))
        if names not in feature_sets():
            raise ValueError("edit vetter features differ from this version's; retrain the model")
        self.data = data
        self.features = names
        self.uses_context = CONTEXT_NAME_FEATURE in names  # needs the character context model
        self.uses_doc = DOC_FEATURE in names  # needs the document's share of unknown words
        # the features its trees read (the others are in its rows but no tree splits on them): a dict of features
        # given to prob needs these only (features.py leaves out the costly ones no tree reads)
        used = _read(data["trees"])
        self.reads = frozenset(names[f] for f in used)
        self._score = _compile(float(data["base"]), data["trees"], names, used)  # of a dict keyed by feature name

    def prob(self, x: Mapping[str, float] | Sequence[float]) -> float:
        """P(the edit improves the text) from its features: a dict keyed by feature name (the
        corrector's; names the vetter was not trained on are ignored, and so are those it does not read:
        ``reads``), or a vector in its order (named here: the trees are compiled once, for the dict)."""
        # (a dict asked first: the corrector's; an isinstance of typing's Mapping costs a third of a microsecond)
        s = self._score(x if isinstance(x, dict) or isinstance(x, Mapping) else dict(zip(self.features, x)))
        return 1.0 / (1.0 + math.exp(-s)) if s > -500 else 0.0


def _read(trees: list) -> list[int]:
    """The columns the trees split on, in order."""
    return sorted({int(f) for feat, *_rest in trees for f in feat if f >= 0})


def _compile(base: float, trees: list, names: Sequence[str], used: list[int]) -> Callable:
    """def score(x): the ensemble's log-odds, as nested if/else (left when x[feature] <= threshold); x a mapping of
    the columns by their ``names``; ``used``: the columns the trees split on (``_read``)."""
    # the features as local names (x3 rather than x[3]): about a fifth faster
    lines = ["def score(x):", f"    s = {base!r}"]
    if used:
        lines.append(f"    {''.join(f'x{f}, ' for f in used)}= "
                     f"{''.join(f'x[{names[f]!r}], ' for f in used)}")
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
