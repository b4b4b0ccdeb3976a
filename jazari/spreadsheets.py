"""The rules of every spreadsheet that leaves the site (CSV and XLSX), in one place.

- CSV is UTF-8 with a byte order mark, so that Excel reads Arabic names and French accents
  as they are (without it, Excel guesses a Windows code page).
- A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read
  as a formula by a spreadsheet program ("CSV injection": `=HYPERLINK(…)` in a learner's
  name becomes a link that sends the sheet's data away). In CSV such text is prefixed with
  `'` (OWASP's rule); `neutralise` does it. In XLSX every text stays a text cell, never a
  formula, and such a cell carries Excel's "quote prefix" style, which is what Excel records
  when someone types a leading `'`: the text shows exactly as written (a phone number
  `+212 6…` stays intact) and stays text when the cell is edited.
- Numbers, dates and empty cells are written as they are; aware datetimes are written in
  Morocco's wall-clock time (XLSX has no time zones), as the admin shows them.
- Rows come from an iterator and go to a file object as they come: nothing holds the whole
  sheet in memory except openpyxl's write-only workbook, which keeps one compressed stream.

`csv_lines` (for a streaming response), `write_csv` and `write_xlsx` (to a binary file) are the
writers; `SpreadsheetRulesMixin` makes Wagtail's listing exports (`SpreadsheetExportMixin`)
use them.
"""

import csv
import datetime
import numbers
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Any, BinaryIO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.mixins import SpreadsheetExportMixin, list_to_str

from jazari.time import naive_casablanca

BOM = "\ufeff"
# What a spreadsheet program takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
# A sheet being written spills from memory to a temporary file past this size.
SPOOL_BYTES = 8 * 1024 * 1024


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """`value`, with `'` before it when it is a text a spreadsheet would take for a formula."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def wall_clock(value: Any) -> Any:
    """An aware datetime as Morocco's naive wall-clock time; anything else as it is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return naive_casablanca(value)
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return wall_clock(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, numbers.Number):
        return value
    return neutralise(str(value))


class _Echo:
    """A file-like object whose `write` hands back what it is given (for `csv.writer`)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV's lines, the first with the byte order mark and the headers."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([_csv_value(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def write_csv(output: BinaryIO, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write the CSV to the binary file `output`, in UTF-8 with a byte order mark."""
    for line in csv_lines(headers, rows):
        output.write(line.encode("utf-8"))


def _xlsx_cell(worksheet, value: Any) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(worksheet, wall_clock(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    if value is None or isinstance(value, numbers.Number):
        return WriteOnlyCell(worksheet, value)
    # Characters XML 1.0 can't hold (control characters) are dropped rather than refused.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"  # never a formula, whatever openpyxl guessed from a leading "="
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def write_xlsx(
    output: BinaryIO,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
) -> None:
    """Write a one-sheet workbook to the binary file `output`."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=title[:31])
    worksheet.append([_xlsx_cell(worksheet, h) for h in headers])
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    workbook.save(output)


def temporary_file():
    """A binary file in memory up to `SPOOL_BYTES`, then on disk; whoever reads it closes it
    (a `FileResponse` does once sent)."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115


def spreadsheet_file(spreadsheet_format: str, headers, rows, *, title: str = "Sheet1"):
    """The sheet written to a `temporary_file`, rewound."""
    writers = {CSV: write_csv, XLSX: partial(write_xlsx, title=title)}
    if spreadsheet_format not in writers:
        raise ValueError(f"unknown spreadsheet format {spreadsheet_format!r}")
    output = temporary_file()
    try:
        writers[spreadsheet_format](output, headers, rows)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def download_response(output, *, spreadsheet_format: str, filename: str) -> FileResponse:
    """A written sheet (`spreadsheet_file`) as an attachment named `filename`."""
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[spreadsheet_format],
    )


class SpreadsheetRulesMixin(SpreadsheetExportMixin):
    """Wagtail's listing exports (`?export=csv|xlsx`) written by the site's rules above.

    The listing's columns (`list_export`, `export_headings`) and the values' preprocessing
    (`custom_field_preprocess`) are Wagtail's; the writing is this module's. The CSV is
    streamed after the view has returned, so it is written in the language active when the
    view answered (the editor's admin language), not in whatever is active by then.
    """

    # Datetimes reach the writers as they are: they write Morocco's time (Wagtail: UTC).
    custom_value_preprocess = {
        (datetime.datetime, datetime.date, datetime.time): {
            SpreadsheetExportMixin.FORMAT_XLSX: None,
            SpreadsheetExportMixin.FORMAT_CSV: None,
        },
        list: {
            SpreadsheetExportMixin.FORMAT_CSV: list_to_str,
            SpreadsheetExportMixin.FORMAT_XLSX: list_to_str,
        },
    }

    def export_rows(self, queryset, export_format):
        for item in queryset:
            yield [
                self.preprocess_field_value(field, value, export_format)
                for field, value in self.to_row_dict(item).items()
            ]

    def export_headers(self, queryset):
        return [self.get_heading(queryset, field) for field in self.list_export]

    def stream_csv(self, queryset):
        """The CSV's lines (a generator made now, while the view's language is active)."""
        language = translation.get_language()
        with translation.override(language):
            headers = self.export_headers(queryset)
        lines = csv_lines(headers, self.export_rows(queryset, self.FORMAT_CSV))

        def in_language():
            while True:
                with translation.override(language):
                    line = next(lines, None)
                if line is None:
                    return
                yield line

        return in_language()

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type=CONTENT_TYPES[CSV])
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_xlsx(self, queryset, output):
        write_xlsx(
            output, self.export_headers(queryset), self.export_rows(queryset, self.FORMAT_XLSX)
        )

    def write_xlsx_response(self, queryset):
        output = temporary_file()
        self.write_xlsx(queryset, output)
        output.seek(0)
        return download_response(
            output, spreadsheet_format=XLSX, filename=f"{self.get_filename()}.xlsx"
        )
