"""Command-line interface: a thin layer over the library.

Each sub-command lives next to the code it drives and is imported only when used, so
``reissue --help`` stays fast and one broken optional part cannot break the others.

Exit codes (documented in the README):
  0  success
  1  unexpected internal error
  2  usage error (bad option, non-empty output folder without --force, malformed query)
  3  some input files could not be read (the others were processed)
  4  no usable page in the input at all
  5  an edition.json is broken or foreign
  6  a correction model is missing or broken
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from . import __version__
from .errors import ReissueError

COMMANDS = {
    "build": ("reissue.pipeline", "build_command", "Turn a folder of OCR page dumps into an edition."),
    "correct": ("reissue.correct.cli", "correct_command", "Correct OCR errors in text or HIPE JSONL."),
    "train": ("reissue.correct.cli", "train_command", "Fit the correction model on aligned OCR/ground truth."),
    "evaluate": ("reissue.evaluate_cli", "evaluate_command", "Score OCR/corrected text against ground truth (CER, WER, cMER, wMER)."),
    "index": ("reissue.index", "index_command", "Add editions to an SQLite library with full-text search."),
    "serve": ("reissue.web.serve", "serve_command", "Serve a library: reader, search, review, JSON API."),
    "export": ("reissue.review", "export_command", "Write an edition again with review decisions applied."),
    "users": ("reissue.accounts_cli", "users_command", "Add, list or disable volunteer accounts (reviewers, moderators)."),
    "batch": ("reissue.batch", "batch_command", "Build every issue of a collection (serially or on Dask)."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr, short = COMMANDS[name]
        try:
            mod = importlib.import_module(module)
            return getattr(mod, attr)
        except (ImportError, AttributeError) as exc:
            reason = str(exc)  # `exc` is unbound once the except block ends

            @click.command(name=name, help=f"{short} [unavailable: {reason}]")
            def unavailable():
                raise click.ClickException(f"`reissue {name}` is not available in this installation: {reason}")
            return unavailable

    def format_commands(self, ctx, formatter):
        rows = [(name, short) for name, (_m, _a, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reissue")
def cli():
    """reissue: clean, corrected, structured, searchable editions of digitized periodicals.

    Start with `reissue build PAGES_DIR -o OUTDIR`.
    """


# numpy's BLAS (OpenBLAS in the PyPI wheels, MKL in some others) starts a thread per core when numpy is imported,
# and they spin a while: on a 16-core machine about 2 CPU seconds per process, for nothing (reissue's arrays are
# small; its one matrix product, the language identifier's, is of a vector). The command line is an application:
# one BLAS thread, unless the user chose a number. (Not OpenMP's: `reissue train`'s trees use those threads.)
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread(environ=os.environ, modules=sys.modules) -> bool:
    """Ask numpy's BLAS for one thread (``BLAS_THREADS``) where the user set no number, before numpy is
    imported (after, it is too late: nothing is changed). Worker processes (``reissue batch``) inherit it.
    Returns whether it was set."""
    if "numpy" in modules:
        return False
    for name in BLAS_THREADS:
        environ.setdefault(name, "1")
    return True


def main(argv=None):
    one_blas_thread()
    try:
        return cli.main(args=argv, prog_name="reissue", standalone_mode=True)
    except ReissueError as exc:  # pragma: no cover - commands handle their own errors
        click.echo(f"reissue: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug: one line (exit 1), the traceback only when asked for
        if os.environ.get("REISSUE_DEBUG"):
            raise
        msg = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
        click.echo(f"reissue: internal error: {msg} (a bug: please report it with the input; "
                   f"REISSUE_DEBUG=1 shows the traceback)", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
