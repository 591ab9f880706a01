"""Minimal PDFs written byte by byte, for the hostile cases no word processor makes: image-only
pages, many pages, a decompression bomb, damage."""
from __future__ import annotations

import zlib


def build_pdf(pages: list[dict]) -> bytes:
    """A PDF with one page per dict: {"text": str} (Helvetica, one line; "fake_bold": drawn twice), {"glyphs": N} (N glyphs of a font without a
    character map), {"image": True} (a grey
    picture over most of the page), {"stream": bytes, "filter": "FlateDecode"} (a raw content stream)."""
    objects: list[bytes] = [b"", b""]  # 1 catalog, 2 page tree: filled in below
    font = _add(objects, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    descendant = _add(objects, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap /CIDSystemInfo "
                               b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    unmapped = _add(objects, f"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H "
                             f"/DescendantFonts [{descendant} 0 R] >>".encode())
    kids = []
    for page in pages:
        resources = f"/Font << /F1 {font} 0 R /F2 {unmapped} 0 R >>".encode()
        content = b""
        if page.get("text"):
            content += b"BT /F1 12 Tf 72 720 Td (" + page["text"].encode("latin-1") + b") Tj ET\n"
        if page.get("glyphs"):  # glyph numbers in a font without a character map (no ToUnicode)
            content += b"BT /F2 12 Tf 72 700 Td <" + b"".join(b"%04X" % (100 + n) for n in range(page["glyphs"])) + \
                b"> Tj ET\n"
        if page.get("fake_bold"):  # the same text again, a third of a point to the right
            content += b"BT /F1 12 Tf 72.3 720 Td (" + page["text"].encode("latin-1") + b") Tj ET\n"
        if page.get("image"):
            pixels = bytes([128]) * (50 * 50)
            image = _add(objects, b"<< /Type /XObject /Subtype /Image /Width 50 /Height 50 /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 8 /Length " + str(len(pixels)).encode() + b" >>\nstream\n" + pixels +
                         b"\nendstream")
            resources += f" /XObject << /Im1 {image} 0 R >>".encode()
            content += b"q 500 0 0 700 50 50 cm /Im1 Do Q\n"
        extra = b""
        if "stream" in page:
            content = page["stream"]
            extra = b" /Filter /" + page["filter"].encode() if page.get("filter") else b""
        stream = _add(objects, b"<< /Length " + str(len(content)).encode() + extra + b" >>\nstream\n" + content +
                      b"\nendstream")
        kids.append(_add(objects, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << {resources.decode()} >> "
                                  f"/Contents {stream} 0 R >>".encode()))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{kid} 0 R' for kid in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def bomb_stream(size: int) -> bytes:
    """A content stream of `size` bytes of spaces, deflated to a few kilobytes."""
    return zlib.compress(b" " * size, 9)


def _add(objects: list[bytes], body: bytes) -> int:
    objects.append(body)
    return len(objects)
