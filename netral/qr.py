"""QR codes drawn in-process by the ``qrcode`` package: SVG for pages and PDFs (pure)."""

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, box_size: int = 10) -> str:
    """An inline <svg> element (no XML declaration) for a page or a WeasyPrint document."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=2)
    return image.to_string(encoding="unicode")
