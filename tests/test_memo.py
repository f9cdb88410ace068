"""The corrector's bounded memos (correct/memo.py)."""

from reissue.correct.engine import Corrector
from reissue.correct.memo import Memo
from reissue.correct.search import RULE_MEMOS


def test_memo_remembers_and_starts_again_when_full():
    m = Memo(3)
    for i in range(4):
        assert m.put(i, i * i) == i * i
    assert dict(m) == {0: 0, 1: 1, 2: 4, 3: 9}  # holds up to limit + 1
    m.put(4, 16)  # full: emptied before the new answer
    assert dict(m) == {4: 16}
    assert m.get(4) == 16 and 4 in m and m.get(0) is None


def test_put_many_leaves_the_memo_a_put_each_leaves():
    for start in range(6):
        for n in range(7):
            keys = [k % 5 for k in range(100, 100 + n)]  # (some of them twice, some there before)
            one, many = Memo(4), Memo(4)
            for i in range(start):
                one.put(i * 3, -i)
                many.put(i * 3, -i)
            for k, v in zip(keys, range(n)):
                one.put(k, v)
            many.put_many(keys, range(n))
            assert list(one.items()) == list(many.items()), (start, n)


def test_corrector_memos_are_bounded_and_caps_corrector_has_its_own_rule_memos():
    corrector = Corrector()  # the English model: it has confusions of capitals
    memos = {k: v for k, v in vars(corrector).items() if isinstance(v, dict) and k.endswith(("_cache", "_cands", "_searched"))}
    assert memos and all(isinstance(v, Memo) for v in memos.values()), [k for k, v in memos.items() if not isinstance(v, Memo)]
    corrector.correct_text("The SHIPPING COMPANY'S STEAMERS lcave LONDON.")
    sub = corrector._caps()
    assert sub is not corrector
    for name in RULE_MEMOS:
        assert getattr(sub, name) is not getattr(corrector, name)
    assert sub._lc_cache is corrector._lc_cache  # rule-free answers are shared


def test_caps_corrector_keeps_apart_the_answers_keyed_by_rule_set():
    corrector = Corrector()
    sub = corrector._caps()
    assert sub is not corrector and sub._caps() is sub and sub.rs is corrector.model.caps_rule_set
    assert sub.rs.window >= 1 and sub.rs.lens and sub.rs.lens == sorted(sub.rs.lens, reverse=True)
    # one shared memo, two answers: the re-segmentations of a word in capitals and in lower case are
    # searched with different confusions, so they are remembered under different keys
    w = "tbeman"
    a, b = corrector.resegmentations(w), sub.resegmentations(w)
    assert (w, id(corrector.rs)) in corrector._reseg_cache and (w, id(sub.rs)) in corrector._reseg_cache
    assert a == corrector.resegmentations(w) and b == sub.resegmentations(w)
