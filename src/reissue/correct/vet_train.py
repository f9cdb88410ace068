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
from .vet import fit_vetter, fold_of, labeller


def default_groups(pairs: Sequence) -> list[str]:
    """Each document its own group (folds then fall at random)."""
    return [str(i) for i in range(len(pairs))]


def collect_proposals(pairs: Sequence[tuple[str, str]], groups: Sequence[str], fit: Callable,
                      params: dict | None = None) -> list[tuple[int, list[float], int]]:
    """Held-out proposals with their gains: [(fold, features, gain)].

    ``fit(pairs) -> model dict`` trains the base model (``train.fit``); each fold is corrected by
    a model trained on the other folds, with the posterior threshold deciding (no vetter), and all
    proposals of the pass whose edits are kept are recorded.
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
              fit: Callable | None = None) -> dict:
    """Add an edit vetter, trained by cross-validation on ``pairs``, to the model dict ``data``."""
    pairs = list(pairs)
    groups = list(groups) if groups is not None else default_groups(pairs)
    rows = collect_proposals(pairs, groups, fit or fit_base, data.get("params"))
    data = dict(data)
    data["edit_filter"] = fit_vetter([(x, g) for _k, x, g in rows])
    return data
