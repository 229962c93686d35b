"""Test documents made on the spot: scans drawn with Pillow, PDFs written by hand.

Nothing here is a fixture file: every document is generated from the talent's data, so
a test says exactly what the document shows.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from prereview.mrz import check_digit

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
MONO_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
A4 = (1240, 1754)  # 150 dpi


@cache
def font(path: str, size: int):
    return ImageFont.truetype(path, size)


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def page(lines: list[str], *, size=A4, text_size: int = 40) -> Image.Image:
    """A white page with dark lines of text, as a clean 150-dpi scan looks."""
    image = Image.new("L", size, 250)
    draw = ImageDraw.Draw(image)
    y = 120
    for line in lines:
        draw.text((100, y), line, fill=15, font=font(CJK_FONT, text_size))
        y += int(text_size * 1.8)
    return image


def scan(lines: list[str], *, fmt: str = "PNG", size=A4) -> bytes:
    return encode(page(lines, size=size), fmt)


def blank_page(fmt: str = "JPEG") -> bytes:
    return encode(Image.new("L", A4, 248), fmt)


def tiny_image() -> bytes:
    return encode(page(["ZHANG WEI"], size=(200, 140), text_size=20), "PNG")


def blurred(lines: list[str]) -> bytes:
    return encode(page(lines).filter(ImageFilter.GaussianBlur(6)), "PNG")


def _field(value: str, length: int) -> str:
    return (value.upper().replace(" ", "<") + "<" * length)[:length]


def td3(*, surname: str, given: str, number: str, nationality: str, birth: date,
        sex: str, expiry: date, issuer: str | None = None, break_digit: str = "") -> tuple[str, str]:
    """The two MRZ lines of a passport (ICAO 9303 TD3), with correct check digits unless
    ``break_digit`` names one to get wrong (``"document_number"``)."""
    line1 = _field(f"P<{issuer or nationality}{surname.upper()}<<{given.upper().replace(' ', '<')}", 44)
    num = _field(number, 9)
    birth_s, expiry_s = f"{birth:%y%m%d}", f"{expiry:%y%m%d}"
    digits = {"document_number": check_digit(num), "birth_date": check_digit(birth_s),
              "expiry_date": check_digit(expiry_s)}
    if break_digit:
        digits[break_digit] = (digits[break_digit] + 1) % 10
    personal = "<" * 14
    body = (f"{num}{digits['document_number']}{nationality}{birth_s}{digits['birth_date']}{sex}"
            f"{expiry_s}{digits['expiry_date']}{personal}0")
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return line1, body + str(composite)


def passport_page(*, surname: str, given: str, number: str, nationality: str = "GBR",
                  birth: date = date(1985, 3, 14), sex: str = "M", expiry: date,
                  break_digit: str = "", fmt: str = "PNG") -> bytes:
    """A passport data page: printed fields above, the machine-readable zone at the bottom."""
    image = Image.new("L", (1500, 1000), 245)
    draw = ImageDraw.Draw(image)
    regular = font(CJK_FONT, 34)
    rows = [("PASSPORT", ""), ("Surname", surname.upper()), ("Given names", given.upper()),
            ("Passport No.", number), ("Nationality", nationality), ("Date of birth", f"{birth:%d %b %Y}"),
            ("Date of expiry", f"{expiry:%d %b %Y}")]
    y = 60
    for label, value in rows:
        draw.text((420, y), f"{label}  {value}".strip(), fill=20, font=regular)
        y += 62
    draw.rectangle((60, 80, 360, 480), outline=40, width=4)
    line1, line2 = td3(surname=surname, given=given, number=number, nationality=nationality,
                       birth=birth, sex=sex, expiry=expiry, break_digit=break_digit)
    mono = font(MONO_FONT, 52)
    draw.text((40, 800), line1, fill=0, font=mono)
    draw.text((40, 880), line2, fill=0, font=mono)
    return encode(image, fmt)


def exif_rotated(lines: list[str]) -> bytes:
    """A JPEG stored on its side with EXIF orientation 6 (the camera was turned)."""
    upright = page(lines)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what the sensor wrote
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(stored, "JPEG", exif=exif, quality=90)


def huge_png_header(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid PNG signature and IHDR declaring a huge image, with a few bytes of data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


# --- PDFs --------------------------------------------------------------------------------------


def pdf(objects: list[bytes]) -> bytes:
    """A PDF from its objects (object 1 is the catalogue), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_pdf(lines: list[str]) -> bytes:
    """One A4 page whose text layer holds ``lines`` (ASCII, Helvetica)."""
    ops = [b"BT /F1 14 Tf 72 770 Td 18 TL"]
    for line in lines:
        escaped = line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + escaped + b") '")
    ops.append(b"ET")
    content = b"\n".join(ops)
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def image_pdf(jpeg: bytes, width: int, height: int) -> bytes:
    """One page showing a JPEG scan, no text layer (what a scanner writes)."""
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
        _stream(content),
        _stream(jpeg, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode" % (width, height)),
    ])


def blank_pdf() -> bytes:
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ])


def pdf_bomb(pages: int = 5000) -> bytes:
    """A small file declaring thousands of (empty) pages."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return pdf(objects)


def corrupt_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R\n\x00\x01garbage" + bytes(range(256)) * 4


def encrypted_pdf(lines: list[str], password: str = "s3cret") -> bytes:  # noqa: S107 - a test file
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(lines))))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
