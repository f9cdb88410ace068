"""reissue: clean, corrected, structured editions from the OCR text of digitized periodicals."""

__version__ = "0.1.0"
