"""The systemd units in deploy/ run commands this app has, and each timer has its service."""

import configparser
import shlex
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def _unit(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    # ExecStart may be given more than once: keep every line.
    text = path.read_text(encoding="utf-8")
    starts = [line.split("=", 1)[1] for line in text.splitlines()
              if line.startswith("ExecStart=")]
    parser.read_string(text)
    return parser, starts


@pytest.mark.parametrize("path", sorted(UNITS.glob("*.service")), ids=lambda p: p.name)
def test_every_flask_command_of_a_unit_exists(runner, path):
    _parser, starts = _unit(path)
    assert starts, path
    for start in starts:
        words = shlex.split(start)
        if not words[0].endswith("/flask"):
            continue
        result = runner.invoke(args=[*words[1:], "--help"])
        assert result.exit_code == 0, (start, result.output)


@pytest.mark.parametrize("path", sorted(UNITS.glob("*.timer")), ids=lambda p: p.name)
def test_every_timer_has_its_service_and_a_bangkok_time(path):
    assert (UNITS / path.name.replace(".timer", ".service")).exists()
    parser, _starts = _unit(path)
    assert parser["Timer"]["OnCalendar"].endswith("Asia/Bangkok")
    assert parser["Timer"]["Persistent"] == "true"
