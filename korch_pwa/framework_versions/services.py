"""Which framework an assessment, or a fiscal year's new assessments, use.

An assessment is read with the framework version it was made with
(``Assessment.framework_version``), from the text stored when that version
was first used, never from whatever file carries that name today. A fiscal
year's new assessments use the version activated for it (or for the latest
year before it); with none activated, the newest file shipped for it.

A stored version never changes, so each process keeps the parsed ones
(no state that differs between workers: every worker reads the same text).
"""

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only

from ..domain import framework as shipped
from ..domain.framework import YAML_LOADER, FrameworkError, parse_framework
from ..domain.file_types import looks_like_xlsx
from ..domain.framework_diff import comparable_codes
from ..domain.limits import FRAMEWORK_SOURCE_MAX, FRAMEWORK_VERSION_MAX
from ..errors import ServiceError
from ..extensions import db
from . import workbook
from .models import FrameworkActivation, FrameworkVersion

_stored = {}  # version -> Framework, only for versions read from the database


def sha256_of(source):
    """Return the hex SHA-256 of a framework's text."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


FLOW_DEPTH_MAX = 20  # a framework file nests { } and [ ] two or three deep


def flow_depth(source):
    """Return the deepest nesting of [ and { in a text, quotes or not.

    Counting brackets inside quoted text too can only overstate the depth,
    and no framework's text holds twenty unclosed brackets.
    """
    depth = deepest = 0
    for char in source:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def parse_source(source, label="<upload>"):
    """Return the Framework a YAML text describes; FrameworkError lists every problem."""
    if flow_depth(source) > FLOW_DEPTH_MAX:
        # PyYAML takes about 1.5 ms per level of [ or { nesting: a 512 KB file of
        # brackets would hold a worker for minutes. Counted before parsing.
        raise FrameworkError(label, ["not valid YAML: nested too deep"])
    try:
        # A framework never needs aliases; refusing them leaves no "billion
        # laughs" file that parses small and walks as millions of indicators.
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(source, Loader=YAML_LOADER)):
            raise FrameworkError(label, ["not valid YAML: aliases are not allowed"])
        data = yaml.load(source, Loader=YAML_LOADER)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # ValueError: an integer too long to convert; RecursionError: nesting too deep.
        # Only where it went wrong is shown: the parser's own words mean nothing to staff.
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FrameworkError(label, [f"not valid YAML{where}"]) from None
    return parse_framework(data, label)


@lru_cache(maxsize=None)
def _shipped_sources(directory=shipped.FRAMEWORK_DIR):
    """Return {version: text} of the framework files shipped with the code."""
    found = {}
    for year in shipped.available_years(directory):
        path = Path(directory) / f"{year}.yaml"
        found[shipped.load_framework_file(path).version] = path.read_text(encoding="utf-8")
    return found


def framework_by_version(version):
    """Return the framework of a version: the stored text, else the shipped file's."""
    if version in _stored:
        return _stored[version]
    source = db.session.scalar(select(FrameworkVersion.source)
                               .where(FrameworkVersion.version == version))
    if source is not None:
        _stored[version] = parse_source(source, f"framework version {version}")
        return _stored[version]
    return _shipped_framework(version)


@lru_cache(maxsize=None)
def _shipped_framework(version):
    """Return a shipped file's framework: code, so the same in every worker until a deploy."""
    text = _shipped_sources().get(version)
    if text is None:
        raise FrameworkError(version, [f"no framework version {version!r} is stored"])
    return parse_source(text, f"framework file of version {version}")


def active_version(fiscal_year):
    """Return the version new assessments of ``fiscal_year`` are made with."""
    version = db.session.scalar(
        select(FrameworkActivation.version).where(FrameworkActivation.fiscal_year <= fiscal_year)
        .order_by(FrameworkActivation.fiscal_year.desc(), FrameworkActivation.id.desc())
        .limit(1))
    return version or shipped.framework_for(fiscal_year).version


def codes_read_as(framework):
    """Return codes_of(version): which of ``framework``'s codes a version's scores are read under.

    For one page or download: a year may hold assessments of two versions
    (a new one activated mid-year), and each version is compared once.
    """
    found = {}

    def codes_of(version):
        if version not in found:
            try:
                found[version] = comparable_codes(framework, framework_by_version(version))
            except FrameworkError:
                found[version] = frozenset()  # a version no one can read scores nothing
        return found[version]
    return codes_of


def active_framework(fiscal_year):
    """Return the framework new assessments of ``fiscal_year`` are made with."""
    return framework_by_version(active_version(fiscal_year))


def pin(version):
    """Make sure the text of ``version`` is stored, so it means the same forever.

    Called when an assessment is first made with it. Two workers may store it
    at once: the second one's insert fails inside a savepoint and changes nothing.
    """
    if version in _stored or db.session.scalar(
            select(FrameworkVersion.version).where(FrameworkVersion.version == version)):
        return
    source = _shipped_sources().get(version)
    if source is None:
        raise FrameworkError(version, [f"no framework version {version!r} to store"])
    framework = parse_source(source)
    try:
        with db.session.begin_nested():
            db.session.add(FrameworkVersion(version=version, fiscal_year=framework.fiscal_year,
                                            source=source, sha256=sha256_of(source)))
    except IntegrityError:
        pass  # another worker stored it first: the same text, from the same release


def read_upload(data):
    """Return the YAML text of an uploaded framework file (YAML or the XLSX template).

    Raise ServiceError for a file too large or unreadable, FrameworkError
    listing every problem of a workbook.
    """
    if len(data) > FRAMEWORK_SOURCE_MAX:
        raise ServiceError("framework_too_large", "file", {"kb": FRAMEWORK_SOURCE_MAX // 1024})
    if looks_like_xlsx(data[:4]):
        return workbook.read(data, parse_source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError("not_text", "file") from None


def store(source, actor):
    """Store an uploaded framework's text as a new version; return (Framework, new).

    Every problem of the file is raised at once (FrameworkError); nothing is
    stored then. The same text uploaded again is the version already stored
    (``new`` is False); other text under a stored version's name is refused.
    """
    framework = parse_source(source)
    if len(framework.version) > FRAMEWORK_VERSION_MAX:
        raise ServiceError("framework_version_long", "file", {"max": FRAMEWORK_VERSION_MAX})
    digest = sha256_of(source)
    stored = db.session.get(FrameworkVersion, framework.version)
    if stored is not None:
        if stored.sha256 != digest:
            raise ServiceError("framework_version_taken", "file",
                               {"version": framework.version})
        return framework, False
    if framework.version in _shipped_sources() and _shipped_sources()[framework.version] != source:
        raise ServiceError("framework_version_taken", "file", {"version": framework.version})
    db.session.add(FrameworkVersion(version=framework.version, fiscal_year=framework.fiscal_year,
                                    source=source, sha256=digest, created_by=actor.id))
    db.session.flush()
    return framework, True


def activate(version, fiscal_year, actor):
    """Make ``version`` the one new assessments of ``fiscal_year`` (and later) are made with.

    Assessments already made keep theirs. The activation is added to the
    year's history; the latest one is in force.
    """
    pin(version)
    db.session.add(FrameworkActivation(fiscal_year=fiscal_year, version=version,
                                       activated_by=actor.id))
    db.session.flush()


def versions():
    """Return every stored and shipped version: [(version, fiscal year, row or None)], newest first."""
    rows = {row.version: row for row in db.session.scalars(
        select(FrameworkVersion).options(load_only(
            FrameworkVersion.version, FrameworkVersion.fiscal_year, FrameworkVersion.sha256,
            FrameworkVersion.created_at, FrameworkVersion.created_by)))}
    listed = [(v, row.fiscal_year, row) for v, row in rows.items()]
    for version, text in _shipped_sources().items():
        if version not in rows:
            listed.append((version, parse_source(text).fiscal_year, None))
    return sorted(listed, key=lambda item: (item[1], item[0]), reverse=True)


def activations():
    """Return every activation, the latest first (the history of each year)."""
    return list(db.session.scalars(select(FrameworkActivation)
                                   .order_by(FrameworkActivation.id.desc())))
