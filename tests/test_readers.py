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
