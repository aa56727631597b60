"""Shared pieces of the CSV imports and exports (formats in docs/data-formats.md).

UTF-8, comma-separated, a header row; multi-valued cells separated by `;`. A
taxonomy cell may hold a code or its label in any site language.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from matching.text import normalise

MULTI_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str
    #: The file, when an import reads several (``organization.csv, line 4: …``).
    source: str = ""

    def __str__(self) -> str:
        if self.source:
            return f"{self.source}, line {self.line}: {self.message}"
        return f"line {self.line}: {self.message}"


@dataclass(slots=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    # True when bad rows stopped the whole import (no --skip-invalid).
    aborted: bool = False

    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, rejected {self.rejected}"


class CSVFormatError(ValueError):
    """The file as a whole cannot be read: wrong encoding or missing columns."""


def read_rows(stream: IO[str] | IO[bytes], columns: Iterable[str]) -> Iterator[tuple[int, dict]]:
    """Yield (line number, row) for each data row; the header is line 1.

    Raises CSVFormatError when required columns are missing or the file is not UTF-8.
    """
    if isinstance(stream.read(0), bytes):
        stream = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(stream)
        header = reader.fieldnames or []
    except UnicodeDecodeError as error:
        raise CSVFormatError("the file is not UTF-8 text") from error
    missing = [column for column in columns if column not in header]
    if missing:
        raise CSVFormatError(f"missing columns: {', '.join(missing)}")
    try:
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            clean = {
                key: restore_formula((value or "").strip()) for key, value in row.items() if key
            }
            yield reader.line_num, clean
    except UnicodeDecodeError as error:
        raise CSVFormatError("the file is not UTF-8 text") from error


def split_multi(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(MULTI_SEPARATOR) if part.strip()]


def join_multi(values: Iterable[str]) -> str:
    return MULTI_SEPARATOR.join(values)


class TermResolver:
    """Finds taxonomy terms by code or by any of their labels, ignoring case and diacritics."""

    def __init__(self, terms: Iterable):
        self._by_key: dict[str, object] = {}
        for term in terms:
            for key in (term.code, *term.labels()):
                self._by_key.setdefault(normalise(key), term)

    def resolve(self, cell: str) -> tuple[list, list[str]]:
        """(terms found, values not recognised) for a `;`-separated cell."""
        found, unknown = [], []
        for value in split_multi(cell):
            term = self._by_key.get(normalise(value))
            if term is None:
                unknown.append(value)
            elif term not in found:
                found.append(term)
        return found, unknown


def write_rows(stream: IO[str], columns: list[str], rows: Iterable[dict]) -> int:
    """Write rows as CSV; text cells that a spreadsheet would run as a formula are
    neutralised (``neutralise_formula``), and ``read_rows`` restores them on import,
    so an export imports back unchanged."""
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(
            {
                key: neutralise_formula(value) if isinstance(value, str) else value
                for key, value in row.items()
            }
        )
        count += 1
    return count


#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value) -> str:
    """The cell as text a spreadsheet shows as written, never runs as a formula.

    Exports carry what users typed (a note, a name); "=HYPERLINK(...)" in one
    must not become a live link or command when staff open the file. A leading
    apostrophe is the spreadsheet convention for "this is text".
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore_formula(text: str) -> str:
    """Undo ``neutralise_formula`` on a cell read back from one of our exports."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
