"""QR codes for receipts: SVG drawn on the server, no script and no inline style
(the page runs under ``style-src 'self'``), so it can sit inline in the page and print."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str) -> SafeString:
    """An ``<svg>`` of ``data``; only paths and presentation attributes."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    # Sized by CSS (.receipt-qr svg); the library's fixed millimetre size would fight it.
    svg = svg.replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)
    svg = svg.replace("<svg ", '<svg role="img" class="qr" ', 1)
    # Our own generated markup (a URL we signed, rendered by the library), never user text.
    return mark_safe(svg)  # noqa: S308
