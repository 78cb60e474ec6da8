"""Numbers and times as the interface language writes them (QLocale's default locale).

`console.app.i18n.install()` sets the default locale with the language; until then it is the
system's. Decimal point and digit grouping come from the locale; the number of decimals and the
units (°C, kPa, m³/h) stay as the widgets choose them. Times are 24-hour everywhere (a control
room never reads AM/PM); only the date part's pattern is translated.
"""

from __future__ import annotations

import math
import time as _time

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

DASH = "—"  # no value


def _localize(text: str) -> str:
    loc = QLocale()
    dp, gs = loc.decimalPoint(), loc.groupSeparator()
    if dp == "." and gs == ",":
        return text
    return text.translate({ord("."): dp, ord(","): gs})


def number(value: float | None, decimals: int = 1, group: bool = False) -> str:
    """`value` with fixed decimals ('—' for none/NaN); `group` adds thousands separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return _localize(f"{value:{',' if group else ''}.{decimals}f}")


def integer(n: int) -> str:
    """A count with thousands separators (1,914)."""
    return _localize(f"{n:,}")


def clock(t: float) -> str:
    """HH:MM:SS local time."""
    return _time.strftime("%H:%M:%S", _time.localtime(t))


def date_clock(t: float) -> str:
    """Month, day and HH:MM:SS local time, in the language's order ("12-07 09:01:02")."""
    # A Qt date pattern: the translation may reorder it or add 月/日 (QDateTime syntax).
    pattern = QCoreApplication.translate("locale_format", "MM-dd HH:mm:ss")
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(t)), pattern)


def full_date_clock(t: float) -> str:
    """ISO date and time (sortable, the same in every language): 2026-12-07 09:01:02."""
    return _time.strftime("%Y-%m-%d %H:%M:%S", _time.localtime(t))
