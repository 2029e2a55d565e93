"""The "ASN Netral" banner (seed 001, lampiran): its content and the social-media PNG (pure).

The print-size PDF is an HTML template printed by WeasyPrint (prevention.documents); the
PNG is drawn here with Pillow, from the same ``BannerSpec``, with the system's Liberation
Sans (DejaVu Sans as fallback) and nothing fetched from anywhere.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PNG_SIZE = (1080, 1350)  # portrait 4:5, the largest feed format of the common social networks
COLOR_RE = re.compile(r"^#([0-9a-fA-F]{6})$")
FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu")
FONTS = {
    "bold": ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "regular": ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
}


def parse_color(value: str) -> tuple[int, int, int]:
    match = COLOR_RE.match(value or "")
    if not match:
        raise ValueError(f"not a #RRGGBB colour: {value!r}")
    digits = match.group(1)
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def parse_leaders(text: str) -> list[tuple[str, str]]:
    """Lines "name; position" (position optional), blank lines skipped."""
    leaders = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, position = line.partition(";")
        leaders.append((" ".join(name.split()), " ".join(position.split())))
    return leaders


@dataclass(frozen=True)
class BannerSpec:
    headline: str
    subtitle: str
    election: str
    unit_name: str
    head_name: str
    head_position: str
    tagline: str
    leaders: list[tuple[str, str]] = field(default_factory=list)
    agency_name: str = ""
    background: str = "#0b3d91"
    accent: str = "#f2c14e"
    text: str = "#ffffff"


def _font(kind: str, size: int):
    for name in FONTS[kind]:
        for folder in FONT_DIRS:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _line_height(font) -> int:
    return round(font.size * 1.25)


def _centered(draw, y: int, text: str, font, fill, width: int, *, margin: int = 60) -> int:
    for line in _wrap(draw, text, font, width - 2 * margin):
        draw.text(((width - draw.textlength(line, font=font)) / 2, y), line, font=font, fill=fill)
        y += _line_height(font)
    return y


def render_png(spec: BannerSpec, *, size: tuple[int, int] = PNG_SIZE) -> bytes:
    width, height = size
    background, accent, ink = parse_color(spec.background), parse_color(spec.accent), parse_color(spec.text)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    y = 60
    if spec.agency_name:
        y = _centered(draw, y, spec.agency_name.upper(), _font("bold", 34), ink, width) + 30
    draw.rectangle((0, y, width, y + 220), fill=accent)
    _centered(draw, y + 45, spec.headline, _font("bold", 120), background, width)
    y += 260
    if spec.subtitle:
        y = _centered(draw, y, spec.subtitle.upper(), _font("bold", 38), ink, width) + 6
    y = _centered(draw, y, spec.election.upper(), _font("bold", 42), ink, width) + 50
    leaders = spec.leaders[:3]
    if leaders:
        column = width // len(leaders)
        name_font, position_font = _font("bold", 28), _font("regular", 22)
        bottom = y
        for index, (name, position) in enumerate(leaders):
            x0 = index * column
            line_y = y
            for text, font in ((name.upper(), name_font), (position, position_font)):
                for line in _wrap(draw, text, font, column - 30):
                    draw.text((x0 + (column - draw.textlength(line, font=font)) / 2, line_y), line, font=font,
                              fill=ink)
                    line_y += _line_height(font)
            bottom = max(bottom, line_y)
        y = bottom + 40
    y = _centered(draw, y, spec.head_name.upper(), _font("bold", 40), ink, width)
    y = _centered(draw, y, spec.head_position, _font("regular", 30), ink, width)
    y = _centered(draw, y + 4, spec.unit_name.upper(), _font("bold", 32), ink, width) + 30
    band = max(y, height - 190)
    draw.rectangle((0, band, width, height), fill=accent)
    _centered(draw, band + 40, spec.tagline.upper(), _font("bold", 40), background, width)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
