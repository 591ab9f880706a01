"""Which reader a file needs: PDF and Word files have their own stage 2; formats we do not read are
refused with a finding that names the format and how to convert it.

The PDF and Word libraries are imported by their readers only when such a file is met, so a batch of
text files never loads them.
"""
from __future__ import annotations

from xxgk.report.errors import UnsupportedFormat
from xxgk.report.findings import Finding

PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
UNREAD_SUFFIXES = {  # suffix -> the format's name
    ".doc": "Word 97-2003 (.doc)",
    ".dot": "Word 97-2003 template (.dot)",
    ".docm": "Word with macros (.docm)",
    ".wps": "WPS Office (.wps)",
    ".wpt": "WPS Office template (.wpt)",
    ".rtf": "Rich Text Format (.rtf)",
    ".odt": "OpenDocument Text (.odt)",
    ".ofd": "OFD (.ofd)",
}
DOCUMENT_SUFFIXES = PDF_SUFFIXES + DOCX_SUFFIXES + tuple(UNREAD_SUFFIXES)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, WPS and other OLE files


def document_kind(name: str, data: bytes) -> str | None:
    """"pdf" or "docx" for the files those readers take, None for the text and HTML path; raises
    UnsupportedFormat for a document format that is not read.

    The name decides, the bytes confirm: a PDF saved under a text name stays a `binary_file`, and a
    "report.pdf" that is really a web page or text goes down the text and HTML path.
    """
    lower = name.lower()
    if lower.endswith(PDF_SUFFIXES):
        return "pdf" if b"%PDF-" in data[:1024] else None
    if lower.endswith(DOCX_SUFFIXES):
        return "docx" if data.startswith(b"PK") else None
    what = UNREAD_SUFFIXES.get(lower[lower.rfind("."):] if "." in lower else "")
    if what is not None and (data.startswith(_OLE) or data[:16].lstrip().startswith(b"{\\rtf") or
                             data.startswith(b"PK") or b"\0" in data[:4096]):
        raise UnsupportedFormat(name, f"{what} is not read by xxgk (不支持的格式). Convert it first, e.g. "
                                      f"`soffice --headless --convert-to docx FILE` (or save it as .docx or .pdf "
                                      f"from Word or WPS) and run again; no report")
    return None


def document_lines(kind: str, name: str, data: bytes) -> tuple[list[tuple[int, str]], list[Finding]]:
    """Numbered lines of a PDF or Word file (tables as tab rows), and the findings of reading it."""
    if kind == "pdf":
        from xxgk.sources.pdf import pdf_lines

        return pdf_lines(name, data)
    from xxgk.sources.docx_reader import docx_lines

    return docx_lines(name, data)
