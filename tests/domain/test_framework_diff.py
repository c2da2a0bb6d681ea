"""What a new framework changes, and its problems in Thai, without a page."""

import dataclasses

from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.framework_diff import diff

SHIPPED = framework_for(2570)


def replace_indicator(framework, code, **changes):
    categories = tuple(dataclasses.replace(c, indicators=tuple(
        dataclasses.replace(i, **changes) if i.code == code else i for i in c.indicators))
        for c in framework.categories)
    return dataclasses.replace(framework, categories=categories)


def test_the_same_framework_changes_nothing():
    assert diff(SHIPPED, SHIPPED) == []


def test_renamed_rubric_changed_added_and_removed_are_all_listed():
    first = SHIPPED.categories[0]
    rubric = tuple(dataclasses.replace(r, text_th="ใหม่") if r.score == 1 else r
                   for r in SHIPPED.indicator("1.2").rubric)
    proposed = replace_indicator(SHIPPED, "1.1", name_th="ชื่อใหม่", status="official")
    proposed = replace_indicator(proposed, "1.2", rubric=rubric)
    extra = dataclasses.replace(first.indicators[0], code="1.9")
    categories = (dataclasses.replace(proposed.categories[0], weight=first.weight + 5,
                                      indicators=proposed.categories[0].indicators + (extra,)),
                  *proposed.categories[1:-1],
                  dataclasses.replace(proposed.categories[-1],
                                      indicators=proposed.categories[-1].indicators[:-1]))
    levels = (dataclasses.replace(SHIPPED.levels[0], name_th="เริ่มต้น"), *SHIPPED.levels[1:])
    proposed = dataclasses.replace(proposed, categories=categories, levels=levels)
    found = {(c.kind, c.code, c.part) for c in diff(SHIPPED, proposed)}
    assert found == {
        ("changed", SHIPPED.levels[0].code, "name_th"),
        ("changed", first.code, "weight"),
        ("changed", "1.1", "name_th"),
        ("changed", "1.2", "rubric"),
        ("added", "1.9", "indicator"),
        ("removed", SHIPPED.indicators[-1].code, "indicator"),
    }
    rubric_change = next(c for c in diff(SHIPPED, proposed) if c.part == "rubric")
    assert "1: ใหม่" in rubric_change.after and "1: ใหม่" not in rubric_change.before
