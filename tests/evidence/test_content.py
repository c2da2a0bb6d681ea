"""Evidence rules without HTTP: what a file is, its thumbnail, limits per assessment."""

import io

import pytest
from PIL import Image

from korch_pwa.domain.evidence import attach_problem, size_label
from korch_pwa.domain.file_types import JPEG, PDF, PNG, WEBP, sniff
from korch_pwa.domain.limits import (EVIDENCE_ASSESSMENT_MAX, EVIDENCE_IMAGE_PIXELS_MAX,
                                     EVIDENCE_PER_INDICATOR)
from korch_pwa.evidence import content
from tests.evidence.images import GPS_IFD, pdf, photo


@pytest.mark.parametrize("kind,expected", [("JPEG", JPEG), ("PNG", PNG), ("WEBP", WEBP)])
def test_images_are_known_by_their_bytes(kind, expected):
    data = photo(kind=kind)
    checked = content.check(data, content.sha256_hex(data))
    assert (checked.content_type, checked.size, checked.width, checked.height) == (
        expected, len(data), 64, 32)
    assert sniff(data[:16]) == expected


def test_a_pdf_is_kept_without_a_thumbnail():
    data = pdf()
    checked = content.check(data, content.sha256_hex(data))
    assert (checked.content_type, checked.thumbnail) == (PDF, None)


@pytest.mark.parametrize("data", [b"GIF89a" + b"\0" * 40, b"<html><script>", b"PK\x03\x04zip",
                                  b"RIFF\0\0\0\0WAVEfmt "])
def test_other_types_are_refused(data):
    with pytest.raises(content.ContentError) as refused:
        content.check(data, content.sha256_hex(data))
    assert refused.value.code == "evidence_type"


def test_the_hash_must_be_the_one_named():
    data = photo()
    with pytest.raises(content.ContentError) as refused:
        content.check(data, content.sha256_hex(data + b"x"))
    assert refused.value.code == "hash_mismatch"


def test_a_truncated_image_behind_a_good_signature_is_broken():
    data = photo(kind="PNG")[:60]
    with pytest.raises(content.ContentError) as refused:
        content.check(data, content.sha256_hex(data))
    assert refused.value.code == "file_broken"


def test_a_decompression_bomb_is_refused_before_decoding():
    # A PNG header that claims 10,000 x 10,000 pixels: 100 MP, over the limit.
    image = Image.new("1", (10000, 10000))
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    assert len(data) < 100_000 and 10000 * 10000 > EVIDENCE_IMAGE_PIXELS_MAX
    with pytest.raises(content.ContentError) as refused:
        content.check(data, content.sha256_hex(data))
    assert refused.value.code == "image_too_large"


def test_the_thumbnail_is_small_upright_and_carries_no_location():
    # Orientation 6: the camera held sideways; shown upright it is taller than wide.
    data = photo(width=1600, height=800, orientation=6, gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    checked = content.check(data, content.sha256_hex(data))
    thumb = Image.open(io.BytesIO(checked.thumbnail))
    assert thumb.format == "JPEG"
    assert thumb.size == (160, 320)  # upright: taller than wide, longest side 320
    assert not thumb.getexif()


def test_a_transparent_png_gets_a_white_background():
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    thumb = Image.open(io.BytesIO(content.check(data, content.sha256_hex(data)).thumbnail))
    assert thumb.mode == "RGB" and thumb.getpixel((20, 20))[0] > 240


def test_only_lower_case_sha256_hex_is_a_hash():
    good = "a" * 64
    assert content.is_sha256(good)
    for bad in ("A" * 64, "a" * 63, "a" * 65, "g" * 64, "../" + "a" * 61, None, 5):
        assert not content.is_sha256(bad)


def test_files_per_indicator_and_bytes_per_assessment_are_limited():
    assert attach_problem([], "1.1", 1000) is None
    full_indicator = [("1.1", 10)] * EVIDENCE_PER_INDICATOR
    assert attach_problem(full_indicator, "1.1", 10)[0] == "evidence_too_many"
    assert attach_problem(full_indicator, "1.2", 10) is None
    nearly_full = [("2.1", EVIDENCE_ASSESSMENT_MAX - 100)]
    assert attach_problem(nearly_full, "1.1", 100) is None
    assert attach_problem(nearly_full, "1.1", 101)[0] == "evidence_full"


def test_sizes_read_as_people_read_them():
    assert [size_label(n) for n in (10, 350 * 1024, 1536 * 1024)] == ["1 KB", "350 KB",
                                                                     "1.5 MB"]
