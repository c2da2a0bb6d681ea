"""Scoring an assessment: category scores, weighted percent, development level."""

from dataclasses import dataclass


class AnswerError(ValueError):
    """An answer that the framework does not allow, naming the indicator."""

    def __init__(self, indicator_code, reason):
        super().__init__(f"{indicator_code}: {reason}")
        self.indicator_code = indicator_code
        self.reason = reason


@dataclass(frozen=True)
class CategoryScore:
    """The points of one category and its share of the weighted total."""

    code: str
    points: int
    max_points: int
    weighted: float


@dataclass(frozen=True)
class Result:
    """The outcome of scoring a set of answers."""

    categories: tuple
    percent: float
    level: object
    missing: tuple

    @property
    def complete(self):
        """Return True when every indicator has an answer."""
        return not self.missing


def check_answer(framework, indicator_code, score):
    """Raise AnswerError unless ``score`` is a rubric score of the indicator."""
    indicator = framework.indicator(indicator_code)
    if indicator is None:
        raise AnswerError(indicator_code, "no such indicator in this framework")
    if score is not None and score not in indicator.scores:
        raise AnswerError(indicator_code, f"score must be one of {list(indicator.scores)}")


def level_for(framework, percent):
    """Return the development level a percentage reaches."""
    reached = [lv for lv in framework.levels if percent >= lv.min_percent]
    return reached[-1]


def category_points(framework, answers):
    """Return [(category, points, maximum points)]; unanswered indicators count as zero.

    No check of the answers: the caller has checked them, or only reads them.
    """
    return [(category, sum(answers.get(i.code) or 0 for i in category.indicators),
             sum(i.max_score for i in category.indicators))
            for category in framework.categories]


def score(framework, answers):
    """Score ``answers`` (indicator code -> score or None) against a framework.

    Unanswered indicators count as zero and are listed in ``missing`` so that
    a draft can show a provisional level while submit insists on all of them.
    """
    for code, value in answers.items():
        check_answer(framework, code, value)
    categories = [CategoryScore(category.code, points, max_points,
                                category.weight * points / max_points if max_points else 0.0)
                  for category, points, max_points in category_points(framework, answers)]
    missing = [i.code for i in framework.indicators if answers.get(i.code) is None]
    percent = round(sum(c.weighted for c in categories), 2)
    return Result(tuple(categories), percent, level_for(framework, percent), tuple(missing))
