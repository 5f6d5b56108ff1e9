#!/usr/bin/env python3
"""Writes the PDF and DOCX fixtures of `linchpin fit`'s tests into
crates/linchpin-fit/tests/fixtures/files/: a resume PDF with a table, a
two-column resume PDF, a resume DOCX with a table, and malformed files (a
truncated PDF, an encrypted PDF, a PDF the PDF library panics on, PDFs
whose page or object stream is a compression bomb, a
zip bomb disguised as DOCX, one that lies about its size, and a DOCX with
external entities).

    pip install --break-system-packages reportlab pypdf python-docx
    python3 scripts/fit_fixtures.py

The files are committed; rerun this only to change them.
"""

import io
import os
import struct
import zipfile
import zlib

from docx import Document
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, SimpleDocTemplate, Spacer, Table

OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "linchpin-fit", "tests", "fixtures", "files")
os.makedirs(OUT, exist_ok=True)
styles = getSampleStyleSheet()


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def table_pdf():
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1)
    story = [
        Paragraph("Dana Novák", styles["Title"]),
        Paragraph("Senior Software Engineer, Lumen Payments (2016 - 2024)", styles["Heading2"]),
        Paragraph("Drove the migration of 30 services to Kubernetes across 5 teams over 18 months.", styles["Normal"]),
        Spacer(1, 12),
        Paragraph("Programs", styles["Heading2"]),
        Table(
            [
                ["Program", "Scale", "What I did"],
                ["Ledger split", "4 teams", "Ran the weekly dependency review."],
                ["Card vault", "12 services", "Led the design review of its failure modes."],
            ]
        ),
    ]
    doc.build(story)
    return buf.getvalue()


def two_column_pdf():
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, invariant=1)
    width, height = A4
    left = Frame(40, 40, width / 3 - 50, height - 80, id="left")
    right = Frame(width / 3, 40, 2 * width / 3 - 40, height - 80, id="right")
    doc.addPageTemplates([PageTemplate(id="two", frames=[left, right])])
    from reportlab.platypus import FrameBreak

    story = [
        Paragraph("Skills", styles["Heading2"]),
        Paragraph("Jira, Confluence, SQL, Python", styles["Normal"]),
        Paragraph("Languages", styles["Heading2"]),
        Paragraph("English, Português", styles["Normal"]),
        FrameBreak(),
        Paragraph("Experience", styles["Heading2"]),
        Paragraph("Engineering Manager, Orbital (2015 - 2023)", styles["Heading3"]),
        Paragraph("Managed a team of 12 engineers and hired 6 of them.", styles["Normal"]),
        Paragraph("Kept the risk register for the data platform launch with 3 teams.", styles["Normal"]),
        Paragraph("Presented the program status to the VP of Engineering every month.", styles["Normal"]),
    ]
    doc.build(story)
    return buf.getvalue()


def table_docx():
    d = Document()
    d.add_heading("Ines García", 0)
    d.add_paragraph("Technical Project Manager, Fabrikam (2017 - 2024)")
    d.add_paragraph("Managed the project plan and schedule for the billing rewrite with a $2M budget.")
    t = d.add_table(rows=3, cols=2)
    cells = [
        ("Program", "What I did"),
        ("Billing rewrite", "Ran the RAID log and the weekly risk review with 4 teams."),
        ("Data center exit", "Coordinated 3 vendors and the steering committee."),
    ]
    for row, (a, b) in zip(t.rows, cells):
        row.cells[0].text = a
        row.cells[1].text = b
    d.add_paragraph("I have no experience with system design.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def encrypted(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_with(document_xml, size_lie=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document_xml)
    data = bytearray(buf.getvalue())
    if size_lie is not None:
        # Rewrite the uncompressed size of word/document.xml in its local
        # header and the central directory: the archive now claims it is small.
        name = b"word/document.xml"
        i = 0
        while True:
            i = data.find(b"PK\x03\x04", i)
            if i < 0:
                break
            n = struct.unpack_from("<H", data, i + 26)[0]
            if data[i + 30 : i + 30 + n] == name:
                struct.pack_into("<I", data, i + 22, size_lie)
            i += 4
        i = 0
        while True:
            i = data.find(b"PK\x01\x02", i)
            if i < 0:
                break
            n = struct.unpack_from("<H", data, i + 28)[0]
            if data[i + 46 : i + 46 + n] == name:
                struct.pack_into("<I", data, i + 24, size_lie)
            i += 4
    return bytes(data)


def bomb_pdf(object_stream=False):
    """One page whose content stream is 40 MiB of spaces, deflated to 40 KiB;
    or, with `object_stream`, a small page and an object stream (which the
    PDF library inflates as it loads the file) of 40 MiB."""
    if object_stream:
        content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Led 3 teams.) Tj ET\n", 9)
    else:
        content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Led 3 teams.) Tj ET\n" + b" " * (40 << 20), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if object_stream:
        packed = zlib.compress(b"7 0 " + b" " * (40 << 20) + b"<< >>", 9)
        objects.append(
            b"<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


table = table_pdf()
write("bomb.pdf", bomb_pdf())
write("bomb-object-stream.pdf", bomb_pdf(object_stream=True))
write("resume-table.pdf", table)
write("resume-two-columns.pdf", two_column_pdf())
write("resume-table.docx", table_docx())
write("truncated.pdf", table[: len(table) // 2])
# One byte of the table PDF zeroed: pdf-extract 0.12 panics on it (an index
# out of bounds), which the extractor must catch.
write("panics.pdf", table[:360] + b"\0" + table[361:])
write("encrypted.pdf", encrypted(table))
body = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
bomb = body + " " * (40 << 20) + "</w:t></w:r></w:p></w:body></w:document>"
write("bomb.docx", docx_with(bomb))
write("bomb-lying.docx", docx_with(bomb, size_lie=1000))
xxe = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + body
    + "&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
write("xxe.docx", docx_with(xxe))


def image_pdf():
    """A one-line page with a 30 MiB (inflated) image: large, but never
    inflated to read the text, so it must read."""
    content = zlib.compress(b"q 100 0 0 100 72 600 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td (Led 3 teams.) Tj ET\n", 9)
    pixels = zlib.compress(b"\x80" * (30 << 20), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width 5120 /Height 2048 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n"
        % len(pixels)
        + pixels
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


write("large-image.pdf", image_pdf())
