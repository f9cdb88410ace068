from click.testing import CliRunner

from reissue import __version__
from reissue.cli import cli


def test_version():
    r = CliRunner().invoke(cli, ["--version"])
    assert r.exit_code == 0
    assert __version__ in r.output


def test_help_lists_commands():
    r = CliRunner().invoke(cli, ["--help"])
    assert r.exit_code == 0
    for name in ("build", "correct", "train", "evaluate", "index", "serve", "export"):
        assert name in r.output


def test_unavailable_command_says_why(monkeypatch):
    from reissue import cli as cli_mod

    monkeypatch.setitem(cli_mod.COMMANDS, "ghost", ("reissue.no_such_module", "cmd", "A missing part."))
    r = CliRunner().invoke(cli, ["ghost"])
    assert r.exit_code == 1
    assert "not available" in r.output and "no_such_module" in r.output


def test_one_blas_thread_before_numpy_unless_the_user_chose():
    from reissue.cli import BLAS_THREADS, one_blas_thread

    env: dict = {}
    assert one_blas_thread(env, {})
    assert env == {name: "1" for name in BLAS_THREADS}
    env = {"OPENBLAS_NUM_THREADS": "8"}
    one_blas_thread(env, {})
    assert env["OPENBLAS_NUM_THREADS"] == "8"  # the user's number stays
    env = {}
    assert not one_blas_thread(env, {"numpy": object()})  # too late once numpy is imported: nothing set
    assert env == {}


def test_the_command_line_starts_one_blas_thread(tmp_path):
    import os
    import subprocess
    import sys

    # a fresh process, as the console script runs: the variable is set before anything imports numpy
    code = ("import os, sys; from reissue.cli import main; sys.argv = ['reissue', '--version']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(os.environ.get('OPENBLAS_NUM_THREADS'))")
    from reissue.cli import BLAS_THREADS

    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREADS}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip().splitlines()[-1] == "1"
