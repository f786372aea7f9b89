"""Read OpenDocument (``.ods``) and Excel (``.xlsx``) spreadsheets: bytes -> ``RawDocument``.

Every sheet becomes one ``SheetTable`` holding its rows as printed: strings, numbers and
``datetime.date`` values (spreadsheet date cells), with empty cells as ``""``. Which rows are
headers is the parser's business, not the reader's.

Engine: python-calamine (a project dependency). Measured on the 2-core dev machine, reading
all 29 sheets of the three official outcomes workbooks (2.3 MB together) takes 0.3-0.7 s
(python-calamine 0.9.1; the first read includes importing it). pandas + odfpy was not
compared: neither is installed in the project's environment, and calamine is already far
inside the 60 s ingest budget, so adding them was not worth it.
"""
from __future__ import annotations

import datetime as dt
import io
import tempfile

from core import settings

from ..model import IngestError, RawDocument, SheetTable
from .source import sha256_of

ODS = "application/vnd.oasis.opendocument.spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: object) -> object:
    """A cell as a plain Python value: dates as ``datetime.date``, blanks as ``""``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _format_error(path: str, data: bytes) -> str | None:
    """Why the workbook reader its suffix names refuses ``data`` (reading from bytes, calamine
    tries every format and says only "cannot detect file format", hiding, say, its cell limit)."""
    from python_calamine import CalamineError, CalamineWorkbook

    suffix = ".xlsx" if path.lower().endswith(".xlsx") else ".ods"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            workbook = CalamineWorkbook.from_path(tmp.name)
            for name in workbook.sheet_names:
                workbook.get_sheet_by_name(name)
        except (CalamineError, ValueError, OSError) as exc:
            return str(exc).splitlines()[0][:200] if str(exc) else None
        except BaseException as exc:   # PanicException, as in read_spreadsheet
            if type(exc).__name__ != "PanicException":
                raise
    return None


def read_spreadsheet(path: str, data: bytes) -> RawDocument:
    """Read every sheet of a spreadsheet.

    :param path: the file's path as given (used in messages and as the document's path).
    :param data: the file's bytes.
    :return: a ``RawDocument`` whose ``tables`` hold one ``SheetTable`` per sheet, in order.
    :raise IngestError: the bytes are not a readable ``.ods``/``.xlsx`` workbook.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    if not data.startswith(b"PK"):
        raise IngestError(path, "not a spreadsheet: an .ods or .xlsx file is a zip archive, "
                                "and this file is not one")
    max_cells = int(settings.positive("MAX_SHEET_CELLS"))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        tables = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            # a cell at the far corner would make every blank before it a cell in memory
            span = sheet.total_height * sheet.total_width
            if span > max_cells:
                raise IngestError(path, f"sheet {name[:60]!r} spans {sheet.total_height:,} rows x "
                                        f"{sheet.total_width:,} columns, over the limit of "
                                        f"{max_cells:,} cells (OFSTED_KG_MAX_SHEET_CELLS)")
            rows = sheet.to_python(skip_empty_area=False)
            tables.append(SheetTable(name, tuple(tuple(_cell(v) for v in row) for row in rows)))
    except (CalamineError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if "detect file format" in reason:
            reason = _format_error(path, data) or reason
        raise IngestError(path, f"cannot read spreadsheet: {reason}") from None
    except BaseException as exc:   # calamine raises PanicException (a BaseException) on garbage
        if type(exc).__name__ != "PanicException":
            raise
        raise IngestError(path, "cannot read spreadsheet: the workbook is corrupt") from None
    if not tables:
        raise IngestError(path, "spreadsheet has no sheets")
    media_type = XLSX if path.lower().endswith(".xlsx") else ODS
    text = "\n".join(t.name for t in tables)
    return RawDocument(path=path, media_type=media_type, sha256=sha256_of(data), text=text,
                       tables=tuple(tables))
