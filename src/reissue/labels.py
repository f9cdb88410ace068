"""How an issue is named for people (shared by the exports, the static reader and the server)."""

from __future__ import annotations


def issue_numbering(md: dict) -> str:
    """'Vol. 6 No. 5 (1939)', or what of it is known ('' when nothing is)."""
    parts = []
    if md.get("volume") is not None:
        parts.append(f"Vol. {md['volume']}")
    if md.get("number") is not None:
        parts.append(f"No. {md['number']}")
    if md.get("year") is not None:
        parts.append(f"({md['year']})" if parts else str(md["year"]))
    return " ".join(parts)
