"""The app icons of the web manifest (static/icons/), drawn from static/favicon.svg's shapes.

Pillow draws no SVG, so the favicon's two shapes are repeated here: a green rounded square and
a white "N" on a 32-unit grid. Run ``.venv/bin/python -m netral.icons`` after changing the logo;
the PNG files are committed (no build step at deploy time).
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#0b5d3b"  # --brand in static/css/netral.css, the favicon's fill
# The favicon's path "M9 23V9h3l8 9.5V9h3v14h-3l-8-9.5V23z" as points on its 32-unit grid.
LETTER = [(9, 23), (9, 9), (12, 9), (20, 18.5), (20, 9), (23, 9), (23, 23), (20, 23), (12, 13.5), (12, 23)]
ICONS = {"icon-192.png": (192, False), "icon-512.png": (512, False), "icon-maskable-512.png": (512, True)}
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw_icon(size: int, *, maskable: bool = False) -> Image.Image:
    """The icon at ``size`` pixels. A maskable icon fills the square (the launcher cuts its own
    shape) and keeps the letter inside the central 80 % circle that every mask leaves visible."""
    scale = 4  # drawn 4x larger, then reduced: smooth edges without anti-aliasing support
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BRAND)
        unit, offset = big * 0.6 / 32, big * 0.2  # the 32-unit grid in the middle 60 %
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 / 32, fill=BRAND)
        unit, offset = big / 32, 0
    draw.polygon([(offset + x * unit, offset + y * unit) for x, y in LETTER], fill="white")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(folder: Path = OUT) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, maskable) in ICONS.items():
        path = folder / name
        # A small palette is enough for two colours and their edges: a few kilobytes each.
        image = draw_icon(size, maskable=maskable).quantize(colors=32, method=Image.Quantize.FASTOCTREE)
        image.save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_icons():
        print(f"{path} ({path.stat().st_size} bytes)")
