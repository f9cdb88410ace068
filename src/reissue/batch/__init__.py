"""`reissue batch`: build every issue of a collection, serially, on plain processes or on Dask.

A *collection* is a folder (or an fsspec URL) whose sub-folders (page files inside) and ``.zip``
archives are issues, taken in natural name order. Each issue is built into ``OUTROOT/<safe issue
name>/`` exactly as ``reissue build`` would build it, then a ``batch-report.json`` and a table
summarise the run, and ``batch-manifest.jsonl`` records each finished issue so a rerun resumes.

Modules:

* :mod:`.discovery`: issues of a collection, safe names, input digests;
* :mod:`.storage`: local paths and fsspec URLs (fetch an issue, publish an edition folder);
* :mod:`.worker`: :func:`build_issue`, what runs on a worker for one issue;
* :mod:`.runners`: serial, plain processes, Dask (LocalCluster or an existing scheduler);
* :mod:`.manifest`: the journal of finished issues;
* :mod:`.reporting`: the report, exit codes, the table, indexing;
* :mod:`.core`: :func:`run_batch`; :mod:`.command`: the click command.

The task sent to a worker is a small dict of paths and options, and what comes back is a small
summary dict: Documents never travel between processes. A failing issue (a
:class:`~reissue.errors.ReissueError` or any exception, even a dead worker) becomes a summary with a
one-line error; the other issues go on.
"""

from __future__ import annotations

from .command import batch_command
from .core import AUTO_LOCAL_MIN_FILES, run_batch
from .discovery import Discovery, Issue, count_files, discover_issues, issue_digest, safe_name
from .manifest import MANIFEST_NAME, Manifest
from .reporting import EXIT_NONE_BUILT, EXIT_OK, EXIT_SOME_PROBLEMS, REPORT_NAME, exit_code_for
from .runners import ClusterStartError, have_dask
from .worker import build_issue

__all__ = ["Issue", "Discovery", "discover_issues", "safe_name", "count_files", "issue_digest", "build_issue",
           "run_batch", "batch_command", "have_dask", "ClusterStartError", "Manifest", "MANIFEST_NAME",
           "REPORT_NAME", "AUTO_LOCAL_MIN_FILES", "EXIT_OK", "EXIT_SOME_PROBLEMS", "EXIT_NONE_BUILT",
           "exit_code_for"]
