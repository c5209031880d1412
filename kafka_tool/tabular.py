"""CSV that a spreadsheet opens as data, never as formulas: the one CSV writer of kafka-tool.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets
(``=HYPERLINK("http://…","click")``, ``@SUM(…)``, ``-2+3+cmd|' /C calc'!A0``).
As OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection),
such a cell is written with a single quote in front, which spreadsheets show
as text and do not evaluate; and every text cell is quoted, so that a
separator inside it (a ``;`` where a Dutch spreadsheet splits on ``;``) cannot
start a new cell that would then be read as a formula.

Numbers the tool computes itself (``int`` and ``float`` values, not text) are
written as they are, unquoted, so that a spreadsheet can still sum a column of
days or euros: such a value is only digits, a sign, a point and an exponent, so
a negative one (``-3``) is a number to every spreadsheet, never a formula.
Text that looks like a number (an id ``-3`` in the case) is text, and is
neutralised like any other.

The output is RFC 4180 CSV (``csv`` module, ``\\n`` line ends): a neutralised
cell reads back as the same text with one ``'`` in front.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

__all__ = ["FORMULA_STARTS", "Cell", "csv_text", "neutralise"]

#: What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: What a CSV cell can be: text, or a number the tool computed (written as a number).
Cell = str | int | float | None


def neutralise(value: str) -> str:
    """Text that a spreadsheet will show, not evaluate: a ``'`` in front of a formula start.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://evil","click")')
    '\\'=HYPERLINK("http://evil","click")'
    >>> neutralise("-3"), neutralise("Amira")
    ("'-3", 'Amira')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int to Python, but a word to a reader
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        # inf and nan are no numbers to a spreadsheet; as words they cannot be formulas either.
        return value if math.isfinite(value) else str(value)
    return neutralise(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV document: ``header``, then ``rows``; every text cell neutralised and quoted.

    Examples
    --------
    >>> print(csv_text(["id", "days"], [["=cmd", -3], ["a;@b", 2.5]]), end="")
    "id","days"
    "'=cmd",-3
    "a;@b",2.5
    """
    buffer = io.StringIO()
    # QUOTE_NONNUMERIC quotes every cell that is not an int or float: all text, neutralised or not.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()
