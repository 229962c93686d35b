"""CSV and XLSX exports of breakdowns and of the ticket lists behind figures.

* CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text correctly.
* Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) are neutralised with a leading apostrophe;
  numbers stay numbers.
* Document numbers are masked; every export is recorded (``ExportRecord``, with history)
  with who, what, which filters and how many rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from reports.models import ExportFormat, ExportRecord

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 200_000
CSV_BOM = "\ufeff"


def neutralise(value):
    """A cell value safe to open in a spreadsheet: formulas in text become plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def safe_rows(rows: Iterable[Sequence]) -> Iterator[list]:
    for row in rows:
        yield [neutralise(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield CSV_BOM + writer.writerow(list(safe_rows([header]))[0])
        for row in safe_rows(rows):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31] or "export")
    bold = Font(bold=True)
    head = []
    for value in safe_rows([header]).__next__():
        cell = WriteOnlyCell(ws, value=value)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in safe_rows(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@transaction.atomic
def export_record(*, user, kind: str, fmt: str, filters: dict, rows: int) -> ExportRecord:
    """Write the audit entry of an export (history row attributed to the user)."""
    if fmt not in ExportFormat.values:
        raise ValueError(f"unknown export format {fmt!r}")
    record = ExportRecord(
        user=user, kind=kind[:40], format=fmt, filters=filters, rows=rows, created_at=clock.now()
    )
    record._history_user = user
    record._change_reason = f"export {kind}.{fmt}"[:100]
    record.save()
    return record


def export_response(*, user, kind: str, fmt: str, filters: dict, filename: str, sheet: str,
                    header: Sequence[str], rows: Sequence[Sequence]):
    """Record the export and answer with the file in the requested format."""
    rows = list(rows)[:MAX_ROWS]
    export_record(user=user, kind=kind, fmt=fmt, filters=filters, rows=len(rows))
    if fmt == ExportFormat.XLSX:
        return xlsx_response(filename, sheet, header, rows)
    return csv_response(filename, header, rows)
