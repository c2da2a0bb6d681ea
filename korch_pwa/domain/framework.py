"""The assessment framework: categories, indicators, rubrics and levels.

The department revises the criteria from year to year, so the framework is a
data file per fiscal year; this module reads and validates one.
"""

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

# libyaml's loader reads a framework file about 13 times faster than the
# pure-Python one (5 ms against 60 ms), with the same safe constructors.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FRAMEWORK_DIR = Path(__file__).resolve().parent.parent / "frameworks"


class FrameworkError(ValueError):
    """A framework file that cannot be used, with every reason found."""

    def __init__(self, source, problems):
        self.source = str(source)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"framework file {self.source} is not valid:\n{lines}")


@dataclass(frozen=True)
class RubricLevel:
    """One rating of an indicator and the evidence that earns it."""

    score: int
    text_th: str
    text_en: str


@dataclass(frozen=True)
class Indicator:
    """One of the indicators a committee rates itself on."""

    code: str
    name_th: str
    name_en: str
    status: str
    evidence_th: str
    rubric: tuple

    @property
    def max_score(self):
        """Return the highest score the rubric gives."""
        return self.rubric[-1].score

    @cached_property
    def scores(self):
        """Return the scores the rubric allows (a frozen rubric: never stale)."""
        return tuple(level.score for level in self.rubric)


@dataclass(frozen=True)
class Category:
    """A group of indicators with its weight in the total."""

    code: str
    name_th: str
    name_en: str
    weight: float
    indicators: tuple


@dataclass(frozen=True)
class DevelopmentLevel:
    """A named development level reached from ``min_percent`` upwards."""

    code: str
    name_th: str
    name_en: str
    min_percent: float


@dataclass(frozen=True)
class Framework:
    """A whole versioned framework."""

    fiscal_year: int
    version: str
    title_th: str
    title_en: str
    levels: tuple
    categories: tuple
    # True only for a file the department issued as its official criteria
    # (``official: true``). Until then the rubric bands, weights and level
    # thresholds are this product's proposal, and every screen says so.
    official: bool = False

    # Cached on the instance (a frozen dataclass is immutable, so they never go
    # stale): every answer a sync checks looks its indicator up.
    @cached_property
    def indicators(self):
        """Return every indicator in order."""
        return tuple(i for c in self.categories for i in c.indicators)

    def indicator(self, code):
        """Return the indicator with ``code`` or None."""
        return self._by_code.get(code)

    def position(self, code):
        """Return where an indicator comes in the form (0 for the first); unknown last."""
        return self._positions.get(code, len(self._positions))

    @cached_property
    def _positions(self):
        return {i.code: n for n, i in enumerate(self.indicators)}

    @cached_property
    def _by_code(self):
        """Index indicators by code."""
        return {i.code: i for i in self.indicators}


def _text(data, key, where, problems):
    """Read a required non-empty string field."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' is missing or empty")
        return ""
    return value.strip()


def _optional_text(data, key, where, problems):
    """Read a string field that may be left out."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: '{key}' must be text")
        return ""
    return value.strip()


def _number(data, key, where, problems):
    """Read a required number field: a finite one (a spreadsheet cell may hold inf or NaN)."""
    value = data.get(key) if isinstance(data, dict) else None
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value)):
        problems.append(f"{where}: '{key}' must be a number")
        return 0
    return value


def _rubric(data, where, problems):
    """Read and check an indicator's rubric."""
    if not isinstance(data, list) or len(data) < 2:
        problems.append(f"{where}: 'rubric' needs at least two levels")
        return ()
    levels = []
    for n, item in enumerate(data, 1):
        at = f"{where} rubric level {n}"
        score = _number(item, "score", at, problems)
        if not isinstance(score, int):
            problems.append(f"{at}: 'score' must be a whole number")
        levels.append(RubricLevel(int(score), _text(item, "text_th", at, problems),
                                  _text(item, "text_en", at, problems)))
    scores = [lv.score for lv in levels]
    if scores != sorted(set(scores)):
        problems.append(f"{where}: rubric scores must be unique and ascending")
    return tuple(levels)


def _indicator(data, where, problems):
    """Read one indicator."""
    code = _text(data, "code", where, problems)
    at = f"indicator {code or where}"
    status = data.get("status") if isinstance(data, dict) else None
    if status not in ("official", "draft"):
        problems.append(f"{at}: 'status' must be 'official' or 'draft'")
    return Indicator(
        code=code,
        name_th=_text(data, "name_th", at, problems),
        name_en=_text(data, "name_en", at, problems),
        status=status or "draft",
        evidence_th=_optional_text(data, "evidence_th", at, problems),
        rubric=_rubric(data.get("rubric") if isinstance(data, dict) else None, at, problems),
    )


def _category(data, n, problems):
    """Read one category and its indicators."""
    code = _text(data, "code", f"category {n}", problems)
    at = f"category {code or n}"
    weight = _number(data, "weight", at, problems)
    if weight <= 0:
        problems.append(f"{at}: 'weight' must be more than 0")
    items = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        problems.append(f"{at}: 'indicators' must be a non-empty list")
        items = []
    indicators = tuple(_indicator(d, f"{at} indicator {k}", problems)
                       for k, d in enumerate(items, 1))
    return Category(code, _text(data, "name_th", at, problems),
                    _text(data, "name_en", at, problems), weight, indicators)


def _levels(data, problems):
    """Read the development levels and check their thresholds."""
    if not isinstance(data, list) or not data:
        problems.append("'levels' must be a non-empty list")
        return ()
    levels = tuple(
        DevelopmentLevel(_text(d, "code", f"level {n}", problems),
                         _text(d, "name_th", f"level {n}", problems),
                         _text(d, "name_en", f"level {n}", problems),
                         _number(d, "min_percent", f"level {n}", problems))
        for n, d in enumerate(data, 1))
    mins = [lv.min_percent for lv in levels]
    if mins[0] != 0 or mins != sorted(set(mins)) or mins[-1] > 100:
        problems.append("levels: 'min_percent' must start at 0, rise, and stay within 100")
    return levels


def parse_framework(data, source="<data>"):
    """Build a Framework from parsed YAML, or raise FrameworkError."""
    problems = []
    if not isinstance(data, dict):
        raise FrameworkError(source, ["the file must be a mapping at the top level"])
    year = data.get("fiscal_year")
    if not isinstance(year, int) or not 2500 <= year <= 2700:
        problems.append("'fiscal_year' must be a B.E. year such as 2568")
    categories = data.get("categories")
    if not isinstance(categories, list) or not categories:
        problems.append("'categories' must be a non-empty list")
        categories = []
    cats = tuple(_category(c, n, problems) for n, c in enumerate(categories, 1))
    codes = [i.code for c in cats for i in c.indicators]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        problems.append(f"indicator codes repeated: {', '.join(dupes)}")
    if cats and abs(sum(c.weight for c in cats) - 100) > 1e-9:
        problems.append("category weights must add up to 100")
    version = str(data.get("version") or "").strip()
    if not version:
        problems.append("file: 'version' is missing or empty")
    framework = Framework(
        fiscal_year=year if isinstance(year, int) else 0,
        version=version or "?",
        title_th=_text(data, "title_th", "file", problems),
        title_en=_text(data, "title_en", "file", problems),
        levels=_levels(data.get("levels"), problems),
        categories=cats,
        official=data.get("official") is True,
    )
    if problems:
        raise FrameworkError(source, problems)
    return framework


def load_framework_file(path):
    """Read and validate one framework file."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise FrameworkError(path, [f"cannot read the file: {exc}"]) from exc
    return parse_framework(data, source=path.name)


def available_years(directory=FRAMEWORK_DIR):
    """Return the fiscal years that have a framework file, ascending."""
    return sorted(int(p.stem) for p in Path(directory).glob("*.yaml") if p.stem.isdigit())


@lru_cache(maxsize=16)
def framework_for(fiscal_year, directory=FRAMEWORK_DIR):
    """Return the newest framework whose year is at or before ``fiscal_year``.

    The files are read-only data shipped with the code, so caching them per
    process keeps no state that differs between workers.
    """
    years = [y for y in available_years(directory) if y <= fiscal_year]
    if not years:
        raise FrameworkError(directory, [f"no framework file for fiscal year {fiscal_year}"])
    return load_framework_file(Path(directory) / f"{years[-1]}.yaml")
