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
