"""What an evidence file really is, judged by its bytes, and its thumbnail.

Plain functions over bytes (no Flask, no database): the upload service
calls them once a file is whole.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from ..domain.file_types import EVIDENCE_TYPES, PDF, sniff
from ..domain.limits import EVIDENCE_IMAGE_PIXELS_MAX, SHA256_HEX_LEN

SHA256_HEX = re.compile(rf"[0-9a-f]{{{SHA256_HEX_LEN}}}")
THUMBNAIL_SIDE = 320  # px: sharp on a phone's 2x screen at 160 CSS px
THUMBNAIL_QUALITY = 70


class ContentError(Exception):
    """A file refused for what it is; ``code`` is a ServiceError code."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Checked:
    """A whole file that passed: its type, size, pixel size and thumbnail (JPEG)."""

    content_type: str
    size: int
    width: object = None
    height: object = None
    thumbnail: object = None


def is_sha256(text):
    """Return True for a SHA-256 in lower-case hex, the only form the API takes."""
    return isinstance(text, str) and SHA256_HEX.fullmatch(text) is not None


def sha256_hex(data):
    """Return the lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def check(data, expected_sha256):
    """Return ``Checked`` for the bytes of a whole file, or raise ContentError.

    The hash must be the one the phone named (else ``hash_mismatch``), the
    type one of PDF, JPEG, PNG, WebP by its first bytes (else ``evidence_type``)
    and an image must decode within the pixel limit (else ``file_broken`` or
    ``image_too_large``).
    """
    if sha256_hex(data) != expected_sha256:
        raise ContentError("hash_mismatch")
    content_type = sniff(data[:16])
    if content_type not in EVIDENCE_TYPES:
        raise ContentError("evidence_type")
    if content_type == PDF:
        return Checked(content_type, len(data))
    width, height, thumbnail = _image(data)
    return Checked(content_type, len(data), width, height, thumbnail)


def _image(data):
    """Return (width, height, JPEG thumbnail bytes) of an image, or raise ContentError."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; ours is checked first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > EVIDENCE_IMAGE_PIXELS_MAX:
                    raise ContentError("image_too_large")
                image.load()
                return width, height, thumbnail_of(image)
    except ContentError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            EOFError, ZeroDivisionError):
        # Truncated or forged bytes behind a valid signature.
        raise ContentError("file_broken") from None


def thumbnail_of(image):
    """Return a small JPEG of a decoded image, turned upright by its EXIF orientation.

    Only pixels are written: no EXIF, so no location leaves through a thumbnail.
    """
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    if upright.mode not in ("RGB", "L"):
        background = Image.new("RGB", upright.size, "white")
        rgba = upright.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        upright = background
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()
