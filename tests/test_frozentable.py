"""FrozenTable (reissue.correct.frozentable): the array-backed tables of a model file (format 4) answer
as the dicts they were made from."""

from __future__ import annotations

import random
from array import array
from zlib import crc32

import pytest

from reissue.correct.frozentable import FrozenTable, freeze


def table(d: dict, steps=None, keep_order=False) -> FrozenTable:
    vals = array("q", d.values()) if steps is None else array("H", d.values())
    return FrozenTable(**freeze(list(d), vals, keep_order=keep_order), steps=steps)


def colliding_pair() -> tuple[str, str]:
    """Two keys with the same CRC-32 (random ones, found by the birthday bound among about 10^5)."""
    seen: dict[int, str] = {}
    rng = random.Random(5)
    for _ in range(2_000_000):
        k = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
        h = crc32(k.encode())
        if h in seen:
            return seen[h], k
        seen[h] = k
    raise AssertionError("no collision found")


def test_it_answers_as_the_dict_it_was_made_from():
    rng = random.Random(3)
    letters = "abcdeéßſ' -"
    d = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 8))): rng.randint(0, 2 ** 40) for _ in range(3000)}
    a, b = colliding_pair()
    d[a], d[b] = 1, 2
    ft = table(d, keep_order=True)
    assert len(ft) == len(d) and list(ft) == list(d) and ft.items() == list(d.items()) and ft == d
    for k, v in d.items():
        assert k in ft and ft[k] == v and ft.get(k, 0) == v
    assert ft[a] == 1 and ft[b] == 2
    absent = ["", "zz", "abc\udc80", "w-1", a + "x", None, 3, ("a",)]
    for k in absent:
        assert k not in d
        assert k not in ft and ft.get(k) is None and ft.get(k, 0) == 0
        with pytest.raises(KeyError):
            ft[k]
    assert dict(ft) == d


def test_stepped_values_are_the_steps_and_order_is_optional():
    steps = [10 ** (-i / 100) for i in range(800)]
    d = {f"k{i}": i % 800 for i in range(2000)}
    ft = table(d, steps=steps)
    assert all(ft[k] == steps[v] for k, v in d.items())
    assert sorted(ft) == sorted(d)


def test_arrays_that_disagree_are_refused():
    parts = freeze(["a", "b"], array("q", [1, 2]))
    with pytest.raises(ValueError):
        FrozenTable(parts["blob"], parts["offs"], parts["hashes"], parts["dir"], array("q", [1]))
    with pytest.raises(ValueError):
        FrozenTable(parts["blob"] + b"x", parts["offs"], parts["hashes"], parts["dir"], parts["values"])
    with pytest.raises(ValueError):
        FrozenTable(parts["blob"], parts["offs"], parts["hashes"], parts["dir"][:-1], parts["values"])
    with pytest.raises(ValueError):
        freeze(["a", "a"], array("q", [1, 2]))


def test_get_many_answers_get_for_each_key():
    rng = random.Random(11)
    letters = "abcdeéßſ' -"
    d = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 8))): rng.randint(0, 799) for _ in range(3000)}
    a, b = colliding_pair()
    d[a], d[b] = 1, 2
    missing = ["", "zz", a + "x", b[:-1]]
    missing += ["".join(rng.choice(letters) for _ in range(9)) for _ in range(300)]
    steps = [10 ** (-i / 100) for i in range(800)]
    for ft in (table(d), table(d, steps=steps)):
        hits = list(d)
        rng.shuffle(hits)
        # in bulk (64 keys or more), one at a time (fewer), and one at a time where a key cannot be encoded
        for keys in (hits[:500] + missing, missing, [a, b, "zz"], [], hits[:3] + [a, a], missing + ["abc\udc80"]):
            for default in (None, 0):
                assert ft.get_many(keys, default) == [ft.get(k, default) for k in keys]
        # the two keys of one hash, each found
        assert ft.get_many([b] * 100 + [a] * 100) == [ft[b]] * 100 + [ft[a]] * 100
    empty = table({})
    assert empty.get_many(missing, 0) == [0] * len(missing)


@pytest.mark.parametrize("stepped", [False, True])
def test_keys_at_least_are_the_keys_whose_value_reaches_the_floor(stepped):
    rng = random.Random(7)
    steps = [10 ** (-i / 100) for i in range(800)] if stepped else None
    d = {f"k{i}": rng.randrange(800) if stepped else rng.randint(0, 10 ** 6) for i in range(5000)}
    ft = table(d, steps=steps)
    for floor in ([1e-6, 1e-3, 0.05, 0.5, 1.0, 2.0] if stepped else [0, 1, 500_000, 10 ** 6, 10 ** 6 + 1]):
        want = sorted(k for k, v in ft.items() if v >= floor)
        assert sorted(ft.keys_at_least(floor)) == want
    assert table({}).keys_at_least(0) == []
