"""Reading report files: .txt in UTF-8 / GB18030 / UTF-16, .docx, .pdf, .html.

Every failure raises `ReadError` with a one-line message naming the file.
"""
import codecs
import re
from pathlib import Path
from typing import Iterable, Iterator, List, Union

from .errors import Errors

TEXT_SUFFIXES = (".txt", ".text", ".md")
SUFFIXES = TEXT_SUFFIXES + (".docx", ".pdf", ".html", ".htm")


class ReadError(ValueError):
    """A file that cannot be read or decoded (message names the file)."""


def decode_bytes(data: bytes, path: Union[str, Path] = "<bytes>") -> str:
    """Decode report bytes: BOM first, then UTF-8, then GB18030.

    data (bytes): The raw bytes.
    path (Union[str, Path]): Name used in error messages.
    RETURNS (str): The text.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(Errors.E601.format(path=path, reason=exc.reason)) from None
    if len(data) >= 4 and data[1::2].count(0) > 0.3 * (len(data) // 2) and data[0::2].count(0) == 0:
        try:
            return data.decode("utf-16-le")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ReadError(Errors.E602.format(path=path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise ReadError(Errors.E601.format(path=path, reason=utf8_error.reason)) from None


def _read_docx(path: Path) -> str:
    try:
        import docx
    except ImportError:
        raise ReadError(Errors.E603.format(path=path, suffix=".docx", extra="docx")) from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: List[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [cell.text.replace("\n", " ") for cell in row.cells]
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise ReadError(Errors.E603.format(path=path, suffix=".pdf", extra="pdf")) from None
    reader = PdfReader(str(path))
    # pages are joined with a form feed: the layout analysis treats it as a page break
    return "\f".join((page.extract_text() or "") for page in reader.pages)


def _read_html(path: Path) -> str:
    html = decode_bytes(path.read_bytes(), path)
    try:
        from bs4 import BeautifulSoup
    except ImportError:
        raise ReadError(Errors.E603.format(path=path, suffix=".html", extra="html")) from None
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    body = soup.body or soup
    return re.sub(r"\n{3,}", "\n\n", body.get_text("\n"))


def read_text(path: Union[str, Path]) -> str:
    """Read a report file as text.

    path (Union[str, Path]): A .txt, .docx, .pdf or .html file.
    RETURNS (str): The raw text.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError(Errors.E605.format(path=path))
    try:
        if suffix in TEXT_SUFFIXES or suffix == "":
            return decode_bytes(path.read_bytes(), path)
        if suffix == ".docx":
            return _read_docx(path)
        if suffix == ".pdf":
            return _read_pdf(path)
        if suffix in (".html", ".htm"):
            return _read_html(path)
    except ReadError:
        raise
    except Exception as exc:  # a corrupt docx/pdf raises library-specific errors
        raise ReadError(Errors.E600.format(path=path, reason=f"{type(exc).__name__}: {exc}")) from None
    raise ReadError(Errors.E604.format(path=path, suffix=suffix))


def iter_files(paths: Iterable[Union[str, Path]]) -> Iterator[Path]:
    """Expand files and folders into report files (folders: supported suffixes, sorted).

    paths (Iterable[Union[str, Path]]): Files or folders.
    YIELDS (Path): Each file; a missing path is yielded as is (reading it reports the error).
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            yield p
