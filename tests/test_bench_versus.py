"""benchmarks/bench_correct.py --versus: reissue's speed with this checkout and another, in alternating
fresh processes, each process importing its own checkout's reissue."""

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("REISSUE_HIPE_DATA", ROOT.parent / "shared" / "data" / "hipe-en"))


def _script(name: str):
    """benchmarks/<name>.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location(f"{name}_under_test", ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _bench():
    return _script("bench_correct")


@pytest.mark.skipif(not (DATA / "impresso-snippets-dev.jsonl").is_file(), reason="HIPE data absent")
def test_versus_measures_both_checkouts_in_alternating_rounds(capsys, tmp_path):
    bench = _bench()
    assert bench.main(["--versus", str(ROOT), "--rounds", "2", "--limit", "1", "--splits", "impresso-snippets-dev",
                       "--data", str(DATA)]) == 0
    out = capsys.readouterr().out
    rounds = [line for line in out.splitlines() if line.startswith("round ")]
    assert len(rounds) == 4 and all("impresso-snippets-dev" in line for line in rounds)
    last = out.splitlines()[-1]
    assert last.startswith("impresso-snippets-dev") and " x" in last and "(rounds: " in last
    # a checkout without reissue is refused, not measured with this one's
    (tmp_path / "src").mkdir()
    with pytest.raises(SystemExit, match="was not the one imported"):
        bench.main(["--versus", str(tmp_path), "--rounds", "1", "--limit", "1", "--splits", "impresso-snippets-dev",
                    "--data", str(DATA)])


@pytest.mark.skipif(not (DATA / "impresso-snippets-dev.jsonl").is_file(), reason="HIPE data absent")
def test_speed_rounds_report_each_system_fastest_and_median_and_the_ratio(capsys, monkeypatch):
    bench = _bench()
    made = []
    speeds = {"reissue": iter([100.0, 300.0, 200.0]), "lookup": iter([1000.0, 600.0, 500.0])}

    def fake(system, args):  # (the rounds' numbers are made here: what the report computes from them is tested)
        made.append(system)
        return {"system": system, "splits": {"impresso-snippets-dev": {"words": next(speeds[system]), "cpu_seconds": 1.0}}}
    monkeypatch.setattr(bench, "run_isolated", fake)
    assert bench.main(["--speed-rounds", "3", "--systems", "none,lookup,reissue", "--splits", "impresso-snippets-dev",
                       "--data", str(DATA)]) == 0
    assert made == ["lookup", "reissue", "reissue", "lookup", "lookup", "reissue"]  # turns, reversed every other round
    last = capsys.readouterr().out.splitlines()[-1]
    assert "reissue 300 / 200" in last and "lookup 1,000 / 600" in last
    # fastest 300 / 1000; the rounds' own ratios 0.1, 0.5, 0.4: median 0.4
    assert "fastest x0.300" in last and "median of rounds x0.400" in last


@pytest.mark.skipif(not (DATA / "impresso-snippets-dev.jsonl").is_file(), reason="HIPE data absent")
def test_speed_ab_takes_turns_document_by_document(capsys, tmp_path, monkeypatch):
    """benchmarks/bench_speed_ab.py: both checkouts loaded once, the documents corrected in turns, a ratio per split
    and repeat; a checkout without reissue is refused, not measured with this one's."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # (it imports bench_correct beside it)
    ab = _script("bench_speed_ab")
    assert ab.main([str(ROOT), "--reps", "2", "--limit", "2", "--splits", "impresso-snippets-dev",
                    "--data", str(DATA)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out if line.startswith("repeat ")] == ["repeat 1", "repeat 2"]
    assert out[-1].startswith("impresso-snippets-dev") and "(repeats: " in out[-1]
    assert len(out[-1].split("(repeats: ")[1].rstrip(")").split()) == 2
    (tmp_path / "src").mkdir()
    with pytest.raises(SystemExit, match="did not start"):
        ab.main([str(tmp_path), "--reps", "1", "--limit", "1", "--splits", "impresso-snippets-dev", "--data", str(DATA)])


@pytest.mark.skipif(not (DATA / "impresso-snippets-dev.jsonl").is_file(), reason="HIPE data absent")
def test_speed_ab_params_reach_each_side(capsys, monkeypatch):
    """bench_speed_ab.py --params / --that-params: decoding parameters changed in one side's corrector, this
    checkout against itself (what a setting costs); a parameter that does not exist stops that side from starting."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    ab = _script("bench_speed_ab")
    common = [str(ROOT), "--reps", "1", "--limit", "1", "--splits", "impresso-snippets-dev", "--data", str(DATA)]
    assert ab.main(common + ["--params", '{"fallback": false}']) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("impresso-snippets-dev")
    with pytest.raises(SystemExit, match="did not start"):
        ab.main(common + ["--that-params", '{"no_such_parameter": 1}'])
