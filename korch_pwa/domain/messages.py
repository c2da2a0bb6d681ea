"""Messages that domain rules return, translated later by the views.

The domain knows nothing of Flask-Babel, so it marks its Thai templates with
``N_`` (a keyword pybabel extracts) and returns them with their values.
"""

from dataclasses import dataclass, field


def N_(text):
    """Mark a message for the translation catalog; return it unchanged."""
    return text


@dataclass(frozen=True)
class Message:
    """A message template (Thai, ``%(name)s`` placeholders) and its values."""

    template: str
    values: dict = field(default_factory=dict)
