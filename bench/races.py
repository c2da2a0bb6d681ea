"""Writers racing through gunicorn -w 4: trials, silent losses, double decisions, 5xx.

Runs the race tests of tests/concurrency with many more trials than CI does,
on SQLite and, when BENCH_DATABASE_URL names a PostgreSQL database, on it too
(its tables are dropped and made again). Prints each race's tally.

    .venv/bin/python bench/races.py [--scale 10]
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(label, database_url, scale):
    """Run the race tests on one database and print their tallies."""
    env = dict(os.environ, RACE_SCALE=str(scale))
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:logging",
                          "-p", "no:cacheprovider", "tests/concurrency"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    print(f"== {label} (scale {scale})")
    for line in out.stdout.splitlines():
        for found in re.findall(r"((?:clashing saves|approve/return races|same item twice):.*)", line):
            print("  " + found)
    print("  " + out.stdout.strip().splitlines()[-1])


def main():
    """Parse the scale and run on each database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10,
                        help="trials per race: 12/6/6 times this")
    args = parser.parse_args()
    run("SQLite", None, args.scale)
    pg = os.environ.get("BENCH_DATABASE_URL")
    if pg:
        run("PostgreSQL", pg, args.scale)


if __name__ == "__main__":
    main()
