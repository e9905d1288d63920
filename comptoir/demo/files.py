"""Small attachments made on the spot (a screenshot, an invoice, a log), so the demo ships no binaries."""

from __future__ import annotations

import struct
import zlib

from comptoir.tickets.attachments import IncomingFile


def png(width: int = 24, height: int = 16, rgb: tuple[int, int, int] = (52, 101, 164)) -> bytes:
    """A valid PNG of one colour (a stand-in for a customer's screenshot)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


def pdf(text: str) -> bytes:
    """A one-page PDF showing one line of text (a stand-in for an invoice or a bank receipt)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def attachment_for(department: str, number: int) -> IncomingFile:
    """The kind of file a customer of this department would send."""
    if department == "mobile-apps":
        return IncomingFile(name=f"screenshot-{number}.png", content=png(rgb=(40 + number % 200, 90, 160)), content_type="image/png")
    if department == "finance":
        return IncomingFile(name=f"receipt-{number}.pdf", content=pdf(f"Payment receipt {number} - 9.99 EUR"), content_type="application/pdf")
    lines = [f"2025-01-0{1 + i % 9} 10:0{i % 10}:00 INFO sync step {i} ok" for i in range(12)]
    return IncomingFile(name=f"app-log-{number}.txt", content="\n".join(lines).encode(), content_type="text/plain")
