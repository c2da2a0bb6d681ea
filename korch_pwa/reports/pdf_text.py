"""Thai words that a PDF reader can find and copy whole (fpdf2 with HarfBuzz).

HarfBuzz draws ำ (SARA AM) as two glyphs, NIKHAHIT and SARA AA, so that the
ring can sit above a tone mark. fpdf2 gives a cluster's text to its *first*
glyph and leaves the other glyphs out of the font's ToUnicode map, where a
reader then invents a character for them: pypdf reads "อำ\\x03เภอ", pdftotext
"อำ เภอ", and nobody finds "อำเภอ", "ตำบล" or "จำนวน" in the report. Here a
cluster's text goes to its *last* glyph and the glyphs before it map to no
text at all (``<code> <>``); both readers then read every word whole.
"""

from fpdf.fonts import TTFFont


class _NoText(tuple):
    """An empty text that fpdf2 still writes to the ToUnicode map (as ``<>``).

    fpdf2 leaves out a glyph whose text has length 0; this one claims a length
    so that it is written, and yields nothing, so that it maps to no text.
    """

    def __len__(self):
        return 1


NO_TEXT = _NoText()


def searchable_text(pdf):
    """Make every TrueType font added to ``pdf`` so far map clusters to their last glyph."""
    for font in pdf.fonts.values():
        if isinstance(font, TTFFont) and not isinstance(font, _SearchableFont):
            _patch_subset(font.subset)
            # fpdf2's fonts have __slots__: the method is changed by the class.
            font.__class__ = _SearchableFont


def _patch_subset(subset):
    """Record the glyphs looked up while a text is shaped; give text-less ones NO_TEXT."""
    lookup = subset.get_glyph
    subset.korch_lookup = lookup
    subset.korch_seen = []

    def get_glyph(glyph=None, unicode=None, glyph_name=None, glyph_width=None):
        if isinstance(unicode, tuple) and not unicode:
            unicode = NO_TEXT
        found = lookup(glyph=glyph, unicode=unicode, glyph_name=glyph_name,
                       glyph_width=glyph_width)
        subset.korch_seen.append(found)
        return found

    # fpdf2 clears the lookup's cache when it writes the fonts.
    get_glyph.cache_clear = lookup.cache_clear
    subset.get_glyph = get_glyph


class _SearchableFont(TTFFont):
    """fpdf2's TrueType font, with each cluster's text on its last glyph."""

    __slots__ = ()

    def shape_text(self, text, font_size_pt, text_shaping_params):
        """Shape as fpdf2 does, then move each multi-glyph cluster's text to its end."""
        subset = self.subset
        seen = subset.korch_seen
        seen.clear()
        info = super().shape_text(text, font_size_pt, text_shaping_params)
        if len(seen) != len(info):  # not the shaping this code knows: keep fpdf2's mapping
            return info
        lookup = subset.korch_lookup
        for first, last in _clusters(seen):
            head, tail = seen[first], seen[last]
            moved_from = lookup(glyph=head.glyph_id, unicode=NO_TEXT,
                                glyph_name=head.glyph_name, glyph_width=head.glyph_width)
            moved_to = lookup(glyph=tail.glyph_id, unicode=head.unicode,
                              glyph_name=tail.glyph_name, glyph_width=tail.glyph_width)
            info[first]["mapped_char"] = subset.pick_glyph(moved_from)
            info[last]["mapped_char"] = subset.pick_glyph(moved_to)
        return info


def _clusters(glyphs):
    """Yield (first, last) index of each cluster drawn with more than one glyph.

    fpdf2 gives a cluster's text to its first glyph and nothing to the rest,
    which follow it (left-to-right text): a run of glyphs without text.
    """
    index = 0
    while index < len(glyphs):
        end = index
        while end + 1 < len(glyphs) and glyphs[end + 1].unicode is NO_TEXT:
            end += 1
        if end > index and glyphs[index].unicode is not NO_TEXT:
            yield index, end
        index = end + 1
