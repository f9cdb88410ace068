"""OCR error correction: a context-aware noisy-channel corrector with a trainable confusion model.

Public API::

    from reissue.correct import load_model, Corrector, Correction, correct_document
"""

from .engine import Correction, Corrector, apply_corrections, correct_document, document_vocabulary
from .model import CorrectionModel, default_model_path, load_model

__all__ = ["Correction", "Corrector", "CorrectionModel", "apply_corrections", "correct_document",
           "default_model_path", "document_vocabulary", "load_model"]
