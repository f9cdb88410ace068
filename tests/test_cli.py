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
