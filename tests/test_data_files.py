"""Every data file shipped in the package states where it comes from and its licence."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "reissue" / "data"


def test_every_shipped_data_file_has_its_licence_stated():
    text = (DATA / "DATA_LICENSE").read_text(encoding="utf-8")
    files = [p.name for p in DATA.iterdir() if p.is_file() and p.name not in ("DATA_LICENSE", "MODEL_CARD.md")
             and not p.name.endswith((".py", ".pyc"))]
    assert files
    missing = [name for name in files if name not in text]
    assert not missing, f"not in src/reissue/data/DATA_LICENSE: {missing}"
