"""Which backups to keep: the newest of each day, week and month, for so many of each.

The usual grandfather-father-son rotation, over plain datetimes: a backup is
kept when it is the newest of one of the last ``daily`` days, ``weekly`` ISO
weeks or ``monthly`` months that have a backup. Everything else may go.
"""


def _newest_per(stamps, period, count):
    """Return the newest stamp of each of the ``count`` most recent periods."""
    newest = {}
    for stamp in sorted(stamps, reverse=True):
        newest.setdefault(period(stamp), stamp)
    return set(list(newest.values())[:count])


def to_keep(stamps, daily=14, weekly=8, monthly=12):
    """Return the subset of ``stamps`` (datetimes of backups) the rotation keeps."""
    return (_newest_per(stamps, lambda s: s.date(), daily)
            | _newest_per(stamps, lambda s: s.isocalendar()[:2], weekly)
            | _newest_per(stamps, lambda s: (s.year, s.month), monthly))
