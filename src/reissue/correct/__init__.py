"""OCR error correction: a context-aware noisy-channel corrector with a trainable confusion model.

Each word is kept or replaced by the candidate maximising
``P(candidate | neighbours) * P(OCR form | candidate)`` plus document evidence:

* channel: character confusions learned from aligned OCR / ground truth (``reissue train``), one
  unlearned edit, token splits and merges, learned real-word confusions (``he`` for ``be``);
  a second pass trusts confusions the document makes systematically;
* language model: wordfreq + symspellpy unigram/bigram dictionaries (installed from PyPI) and the
  training ground truth's counts; the document's own vocabulary counts as evidence;
* conservative: numbers, short all-caps abbreviations and capitalised mid-sentence words are
  protected;
* vetting (``vet``): a learned tree ensemble gives each proposed edit its probability of making the
  text better; that is the edit's confidence, and only edits at or above the threshold are made
  (a model without a vetter uses the posterior).

Public API::

    from reissue.correct import load_model, Corrector, Correction, correct_document
"""

from .engine import Correction, Corrector, apply_corrections, document_vocabulary
from .model import CorrectionModel, default_model_path, load_model, model_path_for
from .stage import correct_document

__all__ = ["Correction", "Corrector", "CorrectionModel", "apply_corrections", "correct_document",
           "default_model_path", "document_vocabulary", "load_model", "model_path_for"]
