"""GB/T 2260 administrative division codes, from python-stdnum's ``cn/loc`` data.

Only the six-digit county-level codes and their province (``xx0000``) and prefecture
(``xxxx00``) roll-ups are known; a code stdnum marks as abolished (``[-2010]崇文区``) is still
known, under its last name, because people still carry ID cards and habits with it.
"""

from __future__ import annotations

import re
from functools import cache

from stdnum import numdb

_ABOLISHED = re.compile(r"^\[[^\]]*\]")
_CITY_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _clean(name: str) -> str:
    # A renamed division lists its names oldest first: 郊区,[2002-]青山湖区.
    return _ABOLISHED.sub("", name.split(",")[-1]).strip()


@cache
def _regions() -> dict[str, str]:
    """Code → full name: 420102 → 湖北省武汉市江岸区."""
    names: dict[str, str] = {}
    for _length, low, high, props, children in numdb.get("cn/loc").prefixes:
        if low != high:
            continue
        province = _clean(props.get("province", ""))
        short: dict[str, str] = {}
        for _clen, clow, chigh, cprops, _ in children:
            if clow != chigh:
                continue
            short[clow] = _clean(cprops.get("county", ""))
        for suffix, county in short.items():
            code = low + suffix
            if suffix == "0000":
                names[code] = province
            elif suffix.endswith("00"):
                names[code] = province + ("" if county in _CITY_PLACEHOLDERS else county)
            else:
                city = short.get(suffix[:2] + "00", "")
                city = "" if city in _CITY_PLACEHOLDERS or city == province else city
                names[code] = province + city + county
        names.setdefault(low + "0000", province)
    return names


def region_name(code: str) -> str | None:
    """The full name of a six-digit GB/T 2260 code, or None if stdnum does not know it."""
    return _regions().get(code or "")


def region_options(query: str, limit: int = 20) -> list[tuple[str, str]]:
    """Regions whose code starts with, or whose name contains, ``query``; for pickers."""
    query = (query or "").strip()
    if not query:
        return []
    regions = _regions()
    if query.isdigit():
        hits = [(c, n) for c, n in regions.items() if c.startswith(query)]
    else:
        hits = [(c, n) for c, n in regions.items() if query in n]
    hits.sort()
    return hits[:limit]


def code_prefix(code: str) -> str:
    """The significant digits of a code: 42 for 420000, 4201 for 420100, 420102 for itself."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
