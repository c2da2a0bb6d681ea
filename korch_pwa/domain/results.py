"""Provincial and national views of results: levels, weakest indicators, rounds.

Only APPROVED assessments count as results: a draft or one awaiting review
may still change.
"""

from dataclasses import dataclass

from .deadlines import percent


def level_distribution(counts, levels):
    """Return [(level, count, percent)] in the framework's order.

    ``counts`` maps level code -> number of approved assessments; codes the
    framework does not know (an older framework's) are listed after, by code.
    """
    total = sum(counts.values())
    known = [lv.code for lv in levels]
    rows = [(lv, counts.get(lv.code, 0), percent(counts.get(lv.code, 0), total))
            for lv in levels]
    for code in sorted(set(counts) - set(known)):
        rows.append((code, counts[code], percent(counts[code], total)))
    return rows


@dataclass(frozen=True)
class IndicatorResult:
    """The average score of one indicator across subdistricts."""

    indicator: object
    average: float
    answered: int

    @property
    def percent_of_max(self):
        """Return the average as a share of the rubric's top score.

        Rubrics differ in length, so indicators are compared on this share.
        """
        top = self.indicator.max_score
        return round(100.0 * self.average / top, 1) if top else 0.0


def pooled_averages(by_version, codes_of):
    """Return {indicator code: (average, n)} over assessments of several framework versions.

    ``by_version`` maps a version -> {code: (average, n)}; ``codes_of(version)``
    says which codes of that version score what the framework being shown
    scores. Other codes are left out: a score given on different words is not
    averaged with it.
    """
    sums = {}
    for version, averages in by_version.items():
        keep = codes_of(version)
        for code, (average, n) in averages.items():
            if code in keep and n:
                total, count = sums.get(code, (0.0, 0))
                sums[code] = (total + float(average) * n, count + n)
    return {code: (total / count, count) for code, (total, count) in sums.items()}


def weakest_indicators(averages, framework, limit=None):
    """Return IndicatorResults, lowest share of the top score first.

    ``averages`` maps indicator code -> (average score, number answered);
    codes the framework lacks are ignored.
    """
    results = [IndicatorResult(framework.indicator(code), float(avg), int(n))
               for code, (avg, n) in averages.items()
               if framework.indicator(code) is not None and n]
    results.sort(key=lambda r: (r.percent_of_max, r.indicator.code))
    return results[:limit] if limit else results


def rounds_side_by_side(by_round, levels):
    """Return rows (level, [(count, percent) per round]) for round 1 and 2.

    ``by_round`` maps round number -> {level code: count}.
    """
    numbers = sorted(by_round)
    dists = {n: level_distribution(by_round[n], levels) for n in numbers}
    rows = []
    for i, lv in enumerate(levels):
        rows.append((lv, [(dists[n][i][1], dists[n][i][2]) for n in numbers]))
    return numbers, rows
