"""The three-way merge of offline edits."""

from korch_pwa.domain.merge import EMPTY, Answer, Change, Conflict, merge


def test_change_applies_when_stored_value_is_still_the_base():
    current = {"1.1": Answer(1, "")}
    to_write, conflicts = merge(current, [Change("1.1", Answer(3, "ok"), Answer(1, ""))])
    assert to_write == {"1.1": Answer(3, "ok")} and conflicts == []


def test_new_answer_on_empty_indicator():
    to_write, conflicts = merge({}, [Change("2.1", Answer(2), EMPTY)])
    assert to_write == {"2.1": Answer(2)} and not conflicts


def test_two_editors_on_different_indicators_both_apply():
    current = {"1.1": Answer(2), "1.2": EMPTY}
    # Editor A already wrote 1.1 (base was empty); editor B now sends 1.2.
    to_write, conflicts = merge(current, [Change("1.2", Answer(1), EMPTY)])
    assert to_write == {"1.2": Answer(1)} and not conflicts


def test_same_value_from_both_editors_is_not_a_conflict():
    to_write, conflicts = merge({"1.1": Answer(2)}, [Change("1.1", Answer(2), EMPTY)])
    assert to_write == {} and conflicts == []


def test_clash_is_returned_with_all_three_values():
    current = {"1.1": Answer(2, "A")}
    to_write, conflicts = merge(current, [Change("1.1", Answer(3, "B"), EMPTY)])
    assert to_write == {}
    assert conflicts == [Conflict("1.1", EMPTY, Answer(3, "B"), Answer(2, "A"))]


def test_note_only_clash_is_a_conflict_too():
    current = {"1.1": Answer(2, "ประชุม 2 ครั้ง")}
    _, conflicts = merge(current, [Change("1.1", Answer(2, "ประชุม 3 ครั้ง"), Answer(2, ""))])
    assert [c.indicator for c in conflicts] == ["1.1"]


def test_mixed_batch_writes_the_clean_ones_and_reports_the_clash():
    current = {"1.1": Answer(2), "1.2": Answer(1)}
    changes = [Change("1.1", Answer(3), Answer(1)), Change("1.2", Answer(3), Answer(1)),
               Change("1.3", Answer(0), EMPTY)]
    to_write, conflicts = merge(current, changes)
    assert to_write == {"1.2": Answer(3), "1.3": Answer(0)}
    assert [c.indicator for c in conflicts] == ["1.1"]
