"""NUTS regions an organisation can be in, per country: data, not code.

Cross-border and transnational programmes (Interreg) fund only part of a
country, named by NUTS 2 or NUTS 3 codes. The regions a profile can choose
from are listed in ``organisations/data/regions.csv`` (country, NUTS code,
name as Eurostat spells it, in the local language); a country not listed
there has no region choice yet. A call's region may be coarser than an
organisation's (NUTS 2 ``LV00`` contains NUTS 3 ``LV003``), so containment is
a prefix test, as the NUTS codes are built.

Pure: no ORM; the file is read once per process.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

__all__ = ["region_choices", "region_country", "region_name", "region_within", "regions_by_country"]

_DATA = Path(__file__).resolve().parent / "data" / "regions.csv"

# NUTS uses EL for Greece where ISO 3166 says GR; the rest agree.
_NUTS_TO_ISO = {"EL": "GR"}


@functools.cache
def regions_by_country() -> dict[str, tuple[tuple[str, str], ...]]:
    """ISO country code → ((NUTS code, name), …) in the file's order."""
    found: dict[str, list[tuple[str, str]]] = {}
    with _DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["country"].strip().upper(), []).append(
                (row["code"].strip().upper(), row["name"].strip())
            )
    return {country: tuple(rows) for country, rows in found.items()}


@functools.cache
def _names() -> dict[str, str]:
    return {code: name for rows in regions_by_country().values() for code, name in rows}


def region_choices(country: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the regions of ``country``, empty when none are listed."""
    return regions_by_country().get((country or "").strip().upper(), ())


def region_name(code: str) -> str:
    """The region's name; the code itself for a code the data does not list."""
    code = (code or "").strip().upper()
    return _names().get(code, code)


def region_country(code: str) -> str:
    """The ISO country code a NUTS code belongs to (its first two letters)."""
    prefix = (code or "").strip().upper()[:2]
    return _NUTS_TO_ISO.get(prefix, prefix)


def region_within(region: str, areas: frozenset[str] | set[str]) -> bool:
    """True when NUTS ``region`` is one of ``areas`` or lies inside one of them."""
    region = (region or "").strip().upper()
    return bool(region) and any(region.startswith(area) for area in areas)
