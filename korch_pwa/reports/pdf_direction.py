"""Skip the Unicode bidirectional algorithm for text that has no right-to-left letter.

With text shaping on, fpdf2 runs the whole bidi algorithm (UAX #9) over
every string it writes: about a third of the time of a progress report,
although Thai, digits and Latin are all left-to-right. A string with no
right-to-left character (Hebrew, Arabic and the like, or a bidi control)
is one left-to-right run, which is exactly what the algorithm would find;
anything else still goes through it.

This overrides a private method of fpdf2 (``_preload_bidirectional_text``,
2.8.x); tests/services check that it still exists and that the report's text
comes out whole, so an upgrade that moves it fails a test instead of going
slow or wrong.
"""

import re
from functools import lru_cache

# Right-to-left scripts of the BMP and beyond, and the bidi controls that
# can start a right-to-left run.
RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202b\u202e\u2067\u2068\u061c"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def all_left_to_right(text):
    """Return True when ``text`` has no character that could start a right-to-left run."""
    return RIGHT_TO_LEFT.search(text) is None


@lru_cache(maxsize=1)
def left_to_right_pdf():
    """Return an FPDF subclass that writes left-to-right text without the bidi pass."""
    from fpdf import FPDF
    from fpdf.enums import TextDirection

    class LeftToRightPDF(FPDF):
        """FPDF whose text shaping skips the bidi pass for left-to-right text."""

        def _preload_bidirectional_text(self, text, markdown):
            if not self.text_shaping or not all_left_to_right(text):
                return super()._preload_bidirectional_text(text, markdown)
            self.text_shaping["paragraph_direction"] = TextDirection.LTR
            self.text_shaping["fragment_direction"] = TextDirection.LTR
            return tuple(self._preload_font_styles(text, markdown))

    return LeftToRightPDF
