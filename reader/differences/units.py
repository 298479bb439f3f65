"""Numbers and units as news prose writes them: digits, number words, scales, unit names.

The unit table names each unit once with its dimension; conversions between
units of one dimension use factors taken from pint (checked against it in a test), so
no comparison pays for building pint's registry; a unit outside the table would go
through pint itself, imported lazily.
"""

from __future__ import annotations

import math
import re
from functools import cache

# Arabic-Indic and Extended Arabic-Indic digits read as ASCII digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}

# Vague quantities as intervals a reader would accept ("scores of" is more than a
# dozen and fewer than a couple of hundred).
VAGUE = {
    "dozens": (24.0, 99.0),
    "scores": (40.0, 199.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2_000.0, 9_999.0),
    "tens of thousands": (20_000.0, 99_999.0),
    "hundreds of thousands": (200_000.0, 999_999.0),
    "millions": (2_000_000.0, 9_999_999.0),
}

# surface unit (casefolded) -> (pint unit or "" when not convertible, dimension label, short label)
UNITS: dict[str, tuple[str, str, str]] = {}


def _add(names: str, pint_name: str, dimension: str, label: str) -> None:
    for name in names.split("|"):
        UNITS[name] = (pint_name, dimension, label)


_add("km|kms|kilometre|kilometres|kilometer|kilometers", "kilometer", "distance", "km")
_add("mile|miles|mi", "mile", "distance", "miles")
_add("m|metre|metres|meter|meters", "meter", "distance", "m")
_add("cm|centimetre|centimetres|centimeter|centimeters", "centimeter", "distance", "cm")
_add("mm|millimetre|millimetres|millimeter|millimeters", "millimeter", "distance", "mm")
_add("ft|foot|feet", "foot", "distance", "ft")
_add("inch|inches", "inch", "distance", "inches")
_add("yard|yards", "yard", "distance", "yards")
_add("kg|kilogram|kilograms|kilogramme|kilogrammes", "kilogram", "mass", "kg")
_add("tonne|tonnes|ton|tons", "metric_ton", "mass", "tonnes")
_add("lb|lbs|pound weight", "pound", "mass", "lb")
_add("sq km|square kilometres|square kilometers|km2", "kilometer**2", "area", "sq km")
_add("hectare|hectares|ha", "hectare", "area", "hectares")
_add("acre|acres", "acre", "area", "acres")
_add("litre|litres|liter|liters", "liter", "volume", "litres")
_add("kph|km/h", "kilometer/hour", "speed", "km/h")
_add("mph", "mile/hour", "speed", "mph")
_add("second|seconds|sec|secs", "second", "duration", "seconds")
_add("minute|minutes|min|mins", "minute", "duration", "minutes")
_add("hour|hours|hr|hrs", "hour", "duration", "hours")
_add("day|days", "day", "duration", "days")
_add("week|weeks", "week", "duration", "weeks")
_add("month|months", "month", "duration", "months")
_add("year|years", "year", "duration", "years")
_add("decade|decades", "10 * year", "duration", "decades")  # pint's "decade" is a logarithmic ratio
_add("percent|per cent|percentage points|%", "", "percent", "%")
_add("degrees|degree|°c|°f", "", "temperature", "degrees")
# Currencies: never converted into each other (rates change), only compared within one currency.
_add("$|us$|usd|dollar|dollars", "", "money:USD", "dollars")
_add("£|gbp|pound|pounds|sterling", "", "money:GBP", "pounds")
_add("€|eur|euro|euros", "", "money:EUR", "euros")
_add("¥|yen", "", "money:JPY", "yen")
_add("yuan|rmb", "", "money:CNY", "yuan")
_add("rupee|rupees", "", "money:INR", "rupees")
_add("rouble|roubles|ruble|rubles", "", "money:RUB", "roubles")
_add("dinar|dinars", "", "money:DINAR", "dinars")

CURRENCY_SIGNS = ("us$", "$", "£", "€", "¥")

# Base unit each convertible dimension is compared in.
_BASE = {"distance": "kilometer", "mass": "kilogram", "area": "kilometer**2", "volume": "liter",
         "speed": "kilometer/hour", "duration": "day"}  # fmt: skip


def to_float(digits: str) -> float | None:
    """A digit string as written ("4,350", "2.5", "٣٠٠", "1e308") as a finite float, or None."""
    s = digits.translate(_DIGITS).replace("\u066c", ",").replace("\u066b", ".")
    # "4,350" and "4.350.000" group thousands; "2.5" is a decimal. A lone comma
    # followed by exactly three digits is a thousands separator in English news.
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", s):
        s = s.replace(".", "")
    else:
        s = s.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", s) else s.replace(",", "")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def words_to_number(words: str) -> float | None:
    """ "two million", "twenty-five", "a dozen", "three hundred thousand" -> number, else None."""
    parts = re.split(r"[\s\-]+", words.casefold().strip())
    parts = [p for p in parts if p not in ("and", "")]
    if not parts:
        return None
    if parts in (["a", "dozen"], ["dozen"]):
        return 12.0
    if parts[0] == "a" and len(parts) > 1 and parts[1] in SCALES:
        parts[0] = "one"
    total, current, seen = 0.0, 0.0, False
    for p in parts:
        if p in SMALL:
            current += SMALL[p]
            seen = True
        elif p == "hundred":
            current = (current or 1) * 100
            seen = True
        elif p in SCALES:
            total += (current or 1) * SCALES[p]
            current = 0.0
            seen = True
        elif p == "dozen":
            current = (current or 1) * 12
            seen = True
        else:
            return None
    return total + current if seen else None


def unit_info(surface: str) -> tuple[str, str, str] | None:
    return UNITS.get(surface.casefold())


@cache
def _registry():  # pint's registry type is private, so no annotation
    import pint

    return pint.UnitRegistry()


# One unit in its dimension's base unit, as pint defines it (tests/core/differences/test_figures.py checks
# every entry against pint). Building pint's registry takes 1.2 s, paid on every start of the app or the
# command line that met a unit: the table makes a reopened comparison pay nothing.
_FACTORS = {
    "kilometer": 1.0, "mile": 1.609344, "meter": 0.001, "centimeter": 1e-05, "millimeter": 1e-06,
    "foot": 0.0003048, "inch": 2.54e-05, "yard": 0.0009144, "kilogram": 1.0, "metric_ton": 1000.0,
    "pound": 0.45359237, "kilometer**2": 1.0, "hectare": 0.01, "acre": 0.004046872609874251, "liter": 1.0,
    "kilometer/hour": 1.0, "mile/hour": 1.609344, "second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24,
    "day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25, "10 * year": 3652.5,
}  # fmt: skip


@cache
def factor_to_base(pint_name: str, dimension: str) -> float | None:
    """How many base units one ``pint_name`` is (1 mile -> 1.609 km), or None if not convertible."""
    base = _BASE.get(dimension)
    if not pint_name or base is None:
        return None
    if pint_name in _FACTORS:
        return _FACTORS[pint_name]
    import pint

    try:
        return float(_registry().parse_expression(pint_name).to(base).magnitude)
    except pint.PintError:
        return None  # a unit pint reads another way: the figure is compared as written, never a crash


def format_number(value: float) -> str:
    """A number as a reader says it: 350000 -> "350,000", 2.5 -> "2.5", 2e6 -> "2 million"."""
    if value >= 1_000_000 and value % 100_000 == 0:
        for name, scale in (("billion", 1e9), ("million", 1e6)):
            if value >= scale:
                return f"{value / scale:g} {name}"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"
