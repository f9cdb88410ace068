#!/usr/bin/env python
"""Build the English correction model shipped in the package: ``scripts/train_model.py --lang en``
(same options; see there).

    .venv/bin/python scripts/train_default_model.py [--data ../shared/data/hipe-en] [-o src/reissue/data/correct-model-en.json.gz]
"""

from __future__ import annotations

import os
import runpy
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    runpy.run_path(os.path.join(here, "train_model.py"), run_name="train_model")["main"](sys.argv[1:], lang="en")
