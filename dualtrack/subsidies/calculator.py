"""The public calculator's inputs: the same JSON a claim stores, built from the figures an
enterprise types, so that the page computes with the very rules and parameters a claim does."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from dualtrack.core.errors import ValidationFailed


def calculator_inputs(data: dict[str, Any], on: datetime.date) -> dict[str, Any]:
    """Inputs for ``rules.dispatch.compute`` from the calculator's cleaned form."""
    clause = data["clause"]
    already = str(data.get("already") or "0")
    day = on.isoformat()
    if clause in ("recruitment", "introducer"):
        n = data.get("workers") or 0
        if clause == "recruitment":
            return {"hires": [[i + 1, day, ""] for i in range(n)], "already": already}
        return {"introductions": [[i + 1, ""] for i in range(n)], "already": already}
    if clause == "transport":
        fares = [f.strip() for f in (data.get("fares") or "").replace("，", ",").split(",")]
        rows = []
        for i, fare in enumerate(f for f in fares if f):
            try:
                Decimal(fare)
            except InvalidOperation as e:
                raise ValidationFailed.for_field("fares", _("Enter the fares as numbers.")) from e
            rows.append([i + 1, f"w{i + 1}", "—", fare, day, f"#{i + 1}"])
        return {"journeys": rows}
    start = data.get("start") or on
    end = data.get("end") or on
    if clause == "rent":
        return {
            "area_m2": str(data.get("area_m2") or "0"),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "town_code": data.get("town") or "",
            "already": already,
        }
    if clause == "loan":
        return {
            "contract_no": data.get("contract_no") or "",
            "principal": str(data.get("principal") or "0"),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "for_resumption": bool(data.get("for_resumption")),
            "already": already,
        }
    return {
        "monthly_rent": str(data.get("monthly_rent") or "0"),
        "months": data.get("months") or 0,
        "town_code": data.get("town") or "",
    }
