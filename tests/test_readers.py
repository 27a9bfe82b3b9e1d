"""Reading report files in their real encodings, with one-line errors."""
import codecs

import pytest

from xxgk_nlp.readers import ReadError, decode_bytes, iter_files, read_text

TEXT = "长春理工大学 2022 年信息公开工作报告\n一、工作概述\n学校主动公开信息共计 4258 条。\n"


# fmt: off
@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("gb18030"),
    TEXT.encode("gbk"),
    TEXT.encode("utf-16"),            # with BOM
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
])
# fmt: on
def test_decode_bytes(data):
    assert decode_bytes(data) == TEXT


# fmt: off
@pytest.mark.parametrize("data,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E602.*binary"),
    (b"\xff\xfe\x00\xd8", "E601"),
    (bytes([0x81, 0x30, 0x81]) + b"\xff\xff\xff", "E601"),
])
# fmt: on
def test_undecodable_bytes_name_the_file(data, message):
    with pytest.raises(ReadError, match=message + ".*") as info:
        decode_bytes(data, "bad.txt")
    assert "bad.txt" in str(info.value) or "E602" in message


def test_read_text_and_iter_files(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("gb18030"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "notes.xyz").write_text("x")
    files = list(iter_files([tmp_path]))
    assert [f.name for f in files] == ["a.txt", "b.txt"]
    assert all(read_text(f) == TEXT for f in files)


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(ReadError, match="E605.*missing.txt"):
        read_text(tmp_path / "missing.txt")
    (tmp_path / "x.xyz").write_text("x")
    with pytest.raises(ReadError, match="E604.*x.xyz"):
        read_text(tmp_path / "x.xyz")


def _make_docx(path, lines):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in lines:
        if "\t" in line:
            cells = line.split("\t")
            table = document.add_table(rows=1, cols=len(cells))
            for cell, value in zip(table.rows[0].cells, cells):
                cell.text = value
        else:
            document.add_paragraph(line)
    document.save(str(path))


def _make_pdf(path, lines):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()


REPORT_LINES = [
    "长春理工大学 2022 年信息公开工作报告",
    "一、工作概述",
    "学校始终认真贯彻执行《高等学校信息公开办法》。",
    "（一）完善信息公开工作机制",
    "学校主动公开信息共计 4258 条。",
    "二、主动公开情况",
    "序号\t网站名称\t数量",
    "1\t主页\t158",
    "三、依申请公开和不予公开情况",
    "2022 年度，学校未接到信息公开申请。",
]


def _headings(nlp, text):
    doc = nlp(text)
    return [(h._.level, h._.title, h._.kind) for h in doc.spans["headings"]]


def test_docx_round_trips_to_the_same_headings(nlp, tmp_path):
    path = tmp_path / "report.docx"
    _make_docx(path, REPORT_LINES)
    text = read_text(path)
    assert "1\t主页\t158" in text
    assert _headings(nlp, text) == _headings(nlp, "\n".join(REPORT_LINES))


def test_pdf_round_trips_to_the_same_headings(nlp, tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "report.pdf"
    _make_pdf(path, [line.replace("\t", "    ") for line in REPORT_LINES])
    assert _headings(nlp, read_text(path)) == _headings(nlp, "\n".join(REPORT_LINES))


def test_html_reader(nlp, tmp_path):
    pytest.importorskip("bs4")
    path = tmp_path / "report.html"
    body = "".join(f"<p>{line}</p>" for line in REPORT_LINES if "\t" not in line)
    path.write_text(f"<html><head><style>p{{}}</style></head><body>{body}</body></html>",
                    encoding="utf-8")
    assert _headings(nlp, read_text(path)) == _headings(nlp, "\n".join(REPORT_LINES))


def test_corrupt_docx_gives_a_one_line_error(tmp_path):
    pytest.importorskip("docx")
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match="E600.*broken.docx"):
        read_text(path)


@pytest.mark.parametrize("suffix,module,extra", [(".docx", "docx", "docx"), (".pdf", "pypdf", "pdf"),
                                                 (".html", "bs4", "html")])
def test_missing_extra_names_it(tmp_path, monkeypatch, suffix, module, extra):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == module or name.startswith(module + "."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"<html></html>" if suffix == ".html" else b"x")
    with pytest.raises(ReadError, match=f"pip install 'xxgk-nlp\\[{extra}\\]'"):
        read_text(path)
