"""One exception hierarchy for reissue.

Every error says what happened, where (file, page, line when known) and what to do.
``str(err)`` is a single line suitable for a batch log.
"""

from __future__ import annotations


class ReissueError(Exception):
    """Base of every error reissue raises on purpose."""

    #: process exit code the CLI uses when this error stops a command
    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, page: int | None = None,
                 line: int | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.page = page
        self.line = line
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.path:
            where.append(str(self.path))
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.line is not None:
            where.append(f"line {self.line}")
        text = (": ".join([", ".join(where), self.message]) if where else self.message)
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split())  # always one line


class UsageError(ReissueError):
    """The command was called in a way that cannot work (bad option, non-empty OUTDIR...)."""

    exit_code = 2


class InputError(ReissueError):
    """An input file or archive cannot be read as page text."""

    exit_code = 3


class NoPagesError(InputError):
    """Nothing usable was found in the input at all."""

    exit_code = 4


class EditionError(ReissueError):
    """An edition.json is broken, foreign or of an unknown format version."""

    exit_code = 5


class ModelError(ReissueError):
    """A correction model file is missing, broken or incompatible."""

    exit_code = 6


class QueryError(ReissueError):
    """A search query is malformed."""

    exit_code = 2


class StageError(ReissueError):
    """A pipeline stage was asked to run where its contract forbids it (run twice, or before what it
    requires; see reissue.contracts)."""

    exit_code = 1


class EditOverlapError(ReissueError, ValueError):
    """A stage tried to record an edit that partly overlaps an active one (a bug in that stage)."""

    exit_code = 1
