"""Draw the app icons once (192, 512 and a maskable 512) under static/icons/.

Run: .venv/bin/python scripts/build_icons.py ; the PNGs are committed.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
GREEN, LEAF, WHITE = (20, 83, 45), (134, 239, 172), (255, 255, 255)


def draw(size, maskable=False):
    """Return an icon: a green tile with a white check mark over a leaf."""
    image = Image.new("RGB" if maskable else "RGBA", (size, size),
                      GREEN if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    # A maskable icon is cropped to a circle of 80%, so its drawing stays inside.
    inset = size * (0.2 if maskable else 0.0)
    if not maskable:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=GREEN)
    box = (inset + size * 0.18, inset * 0.5 + size * 0.18,
           size - inset - size * 0.18, size - inset * 1.5 - size * 0.18)
    pen.ellipse(box, fill=LEAF)
    span = size - 2 * inset
    points = [(inset + span * x, inset + span * y)
              for x, y in ((0.3, 0.52), (0.45, 0.67), (0.72, 0.36))]
    pen.line(points, fill=WHITE, width=max(4, size // 14), joint="curve")
    return image


def main():
    """Write the three PNGs."""
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
