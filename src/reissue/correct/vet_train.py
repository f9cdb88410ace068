"""Training the edit vetter (see ``vet``): held-out proposals of the corrector by cross-validation,
labelled by their effect against the ground truth, and the trees fitted on them.

Kept apart from ``vet`` (which the model loads to run a stored vetter) because it runs the corrector
itself: ``engine`` -> ``model`` -> ``vet`` stays a chain, with no loop back.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from .engine import Corrector
from .model import CorrectionModel
from .train import fit as fit_base
from .vet import CONTEXT_FEATURES, FEATURES, fit_vetter, fold_of, labeller


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
                      params: dict | None = None, context: Callable | None = None
                      ) -> list[tuple[int, list[float], int]]:
    """Held-out proposals with their gains: [(fold, features, gain)].

    ``fit(pairs) -> model dict`` trains the base model (``train.fit``); each fold is corrected by
    a model trained on the other folds, with the posterior threshold deciding (no vetter), and all
    proposals of the pass whose edits are kept are recorded.

    ``context(train pairs) -> CharLM``: the context model of each fold (``fold_context_model``); its
    score of each proposal is then in the last two features (``vet.CONTEXT_FEATURES``), as the vetter of a
    model with a context model sees it.
    """
    folds = [fold_of(g) for g in groups]
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
        for (ocr, gt), f in zip(pairs, folds):
            if f != k:
                continue
            corrector.proposals = []
            corrector.corrections(ocr)  # the document's vocabulary: its own text
            gain = labeller(ocr, gt)
            rows.extend((k, x, gain(corr)) for x, corr in corrector.proposals)
        corrector.proposals = None
    return rows


def vet_model(data: dict, pairs: Iterable[tuple[str, str]], *, groups: Sequence[str] | None = None,
              fit: Callable | None = None, context_model: str | None = None) -> dict:
    """Add an edit vetter, trained by cross-validation on ``pairs``, to the model dict ``data``.

    ``context_model``: the file name of the character context model (``context.DEFAULT_NAME``, fitted
    on the same ground truth) whose score the vetter then weighs; recorded in the model."""
    pairs = list(pairs)
    groups = list(groups) if groups is not None else default_groups(pairs)
    rows = collect_proposals(pairs, groups, fit or fit_base, data.get("params"),
                             fold_context_model if context_model else None)
    data = dict(data)
    features = FEATURES + (CONTEXT_FEATURES if context_model else ())
    data["edit_filter"] = fit_vetter([(x, g) for _k, x, g in rows], features=features)
    if context_model:
        data["context_model"] = context_model
    return data
