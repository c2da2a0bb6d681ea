"""Real image and PDF files for the evidence tests, made with Pillow."""

import io

from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def photo(width=64, height=32, kind="JPEG", orientation=None, gps=False, color=(200, 40, 40)):
    """Return the bytes of an image; a JPEG may carry an EXIF orientation and a location."""
    image = Image.new("RGB", (width, height), color)
    # A left half of another colour, so that turning the image shows.
    image.paste((20, 20, 220), (0, 0, width // 2, height))
    out = io.BytesIO()
    if kind != "JPEG":
        image.save(out, kind)
        return out.getvalue()
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)})
    image.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def noisy_photo(width, height, seed=1):
    """Return a JPEG that does not compress to almost nothing (random pixels)."""
    import random

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def pdf():
    """Return a small real PDF (one page) made by fpdf2."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="minutes")
    return bytes(document.output())
