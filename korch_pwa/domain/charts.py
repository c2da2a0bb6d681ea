"""The numbers behind the dashboards' small charts, placed on a plain grid.

Charts are drawn on the server as inline SVG (nothing for a phone to
download); these functions decide what each bar or line stands for and where
it goes, in units of a 0-100 scale or of a fixed drawing size. The templates
only draw. Every chart's numbers are also in a table next to it.
"""

from dataclasses import dataclass
from datetime import timedelta

from .deadlines import percent

WIDTH, HEIGHT = 300, 120  # the timeline's drawing area, in SVG units


@dataclass(frozen=True)
class Segment:
    """One part of a 100% bar: a level and how many reached it."""

    key: str
    count: int
    share: float  # percent of the bar's total
    start: float  # where it begins on the 0-100 scale


@dataclass(frozen=True)
class StackedBar:
    """One area's bar, split by level."""

    label: str
    total: int
    segments: tuple


def stacked_bar(label, counts):
    """Return a StackedBar from [(key, count)] in drawing order; empty parts are left out."""
    total = sum(n for _key, n in counts)
    segments, start = [], 0.0
    for key, n in counts:
        if n:
            share = 100.0 * n / total
            segments.append(Segment(key, n, round(share, 1), round(start, 2)))
            start += share
    return StackedBar(label, total, tuple(segments))


def level_bars(by_area, levels, round_number):
    """Return a StackedBar per area for one round, from {area: {round: {level: n}}}."""
    return [stacked_bar(area, [(lv.code, per_round.get(round_number, {}).get(lv.code, 0))
                               for lv in levels])
            for area, per_round in sorted(by_area.items())]


@dataclass(frozen=True)
class Tile:
    """One area of a tile grid: its code, its median level and how many approved."""

    code: str
    level: int = None  # index in the framework's levels; None when nothing is approved
    approved: int = 0


@dataclass(frozen=True)
class TileBand:
    """A row of tiles: provinces whose code starts with ``key``, or every child area ("")."""

    key: str
    tiles: tuple


# Provinces' DOPA codes start with a digit that follows the regions: bands are
# drawn north to south. Not a map (no geometry ships with the product), but
# a reader finds the north at the top and the south at the bottom.
PROVINCE_BANDS = ("5", "6", "4", "3", "1", "7", "2", "8", "9")


def median_level(counts, levels):
    """Return the index of the median level of ``counts`` ({level code: n}), or None.

    Levels are ordered; the median says where the middle subdistrict of the
    area stands. Codes the framework does not know are left out.
    """
    ordered = [counts.get(level.code, 0) for level in levels]
    total = sum(ordered)
    if not total:
        return None
    middle, seen = (total - 1) // 2, 0
    for index, n in enumerate(ordered):
        seen += n
        if seen > middle:
            return index
    return None  # not reached: the counts add up to total


def tile_grid(codes, by_area, levels, round_number, provinces=False):
    """Return TileBands of ``codes`` (every child area, in code order) for one round.

    ``by_area`` is {area: {round: {level: n}}} of approved assessments; an
    area with none is a tile without a level. Provinces are banded by region.
    """
    tiles = []
    for code in codes:
        counts = by_area.get(code, {}).get(round_number, {})
        tiles.append(Tile(code, median_level(counts, levels), sum(counts.values())))
    if not provinces:
        return [TileBand("", tuple(tiles))] if tiles else []
    bands = [TileBand(key, tuple(t for t in tiles if t.code.startswith(key)))
             for key in PROVINCE_BANDS]
    return [band for band in bands if band.tiles]


def category_shares(averages, framework):
    """Return [(category, percent or None)] from {indicator: (average score, n)}.

    An approved assessment answers every indicator, so a category's average
    percentage is the sum of its indicators' averages over its maximum.
    None when no approved assessment answered it yet.
    """
    shares = []
    for category in framework.categories:
        known = [averages.get(i.code) for i in category.indicators]
        if not all(k and k[1] for k in known):
            shares.append((category, None))
            continue
        points = sum(avg for avg, _n in known)
        top = sum(i.max_score for i in category.indicators)
        shares.append((category, round(100.0 * points / top, 1) if top else 0.0))
    return shares


@dataclass(frozen=True)
class Point:
    """A day on the timeline, how many so far, and where it is drawn."""

    day: object
    count: int
    share: float
    x: float
    y: float


@dataclass(frozen=True)
class Mark:
    """A due date drawn as a vertical line."""

    key: str
    day: object
    x: float


@dataclass(frozen=True)
class Timeline:
    """Submitted and approved so far, day by day, against the due dates."""

    start: object
    end: object
    total: int
    submitted: tuple
    approved: tuple
    marks: tuple

    def rows(self):
        """Return [(day, submitted Point, approved Point)] for each day either changed.

        The table beside the chart: the start, every day something was sent or
        approved, and the end, with the running totals at the end of that day.
        """
        days = sorted({p.day for p in self.submitted + self.approved})
        return [(day, _last(self.submitted, day), _last(self.approved, day)) for day in days]

    def points(self, series):
        """Return an SVG polyline's points for "submitted" or "approved"."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in getattr(self, series))


def _last(points, day):
    """Return the last point of a series on or before ``day``."""
    return [p for p in points if p.day <= day][-1]


def _x(day, start, days):
    return round(WIDTH * (day - start).days / days, 1)


def _point(day, count, total, x):
    """Return the Point of ``count`` so far on ``day``, drawn at ``x``."""
    y = round(HEIGHT * (1 - count / total), 1) if total else HEIGHT
    return Point(day, count, percent(count, total), x, y)


def _series(by_day, total, start, end, days):
    """Return the cumulative Points of {day: n}, one a change (every day lies in start..end)."""
    points, count = [_point(start, 0, total, 0.0)], 0
    for day in sorted(by_day):
        x = _x(day, start, days)
        # A step: the line stays level until the day things were sent.
        points.append(_point(day, count, total, x))
        count += by_day[day]
        points.append(_point(day, count, total, x))
    points.append(_point(end, count, total, float(WIDTH)))
    return tuple(points)


def timeline(submitted, approved, total, dues, today, lead_days=30):
    """Return the Timeline of a round in an area.

    ``submitted``/``approved`` map a Bangkok date to how many assessments were
    first sent/approved that day; ``dues`` maps "province"/"department" to a
    date (or None). The chart runs from ``lead_days`` before the earliest due
    date (or the first event, if earlier) to the later of today and the last due.
    """
    dated = [d for d in dues.values() if d]
    events = list(submitted) + list(approved)
    first_due = min(dated) if dated else today
    start = min([first_due - timedelta(days=lead_days)] + events)
    end = max([today] + dated + events)
    days = max((end - start).days, 1)
    marks = tuple(Mark(key, day, _x(day, start, days)) for key, day in dues.items() if day)
    return Timeline(start, end, total, _series(submitted, total, start, end, days),
                    _series(approved, total, start, end, days), marks)
