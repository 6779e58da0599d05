"""The registry's edit page never shows the stored contact phone: a town officer may not see it
unmasked, and an edit form is no place for an unaudited reveal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.enterprises.models import Enterprise


def _form(enterprise: Enterprise, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "town": enterprise.area_id,
        "contact_phone": "",
        "division": enterprise.division_id,
        "size_class": enterprise.size_class,
        "normal_workforce": enterprise.normal_workforce,
    }
    values.update(changes)
    return values


def test_the_edit_page_shows_the_phone_masked_only(as_user, enterprise):
    page = as_user("town_officer").get(reverse("enterprise_edit", args=[enterprise.pk]))
    assert page.status_code == 200
    assert "13800138000" not in page.text
    assert "138****8000" in page.text


@pytest.mark.parametrize(
    ("changes", "stored"),
    [
        ({}, "13800138000"),
        ({"contact_phone": "139 0000 1111"}, "13900001111"),
        ({"clear_contact_phone": "on"}, ""),
    ],
    ids=["left empty: kept", "a new one: replaced", "removed"],
)
def test_saving_the_edit_form_keeps_replaces_or_removes_the_phone(
    as_user, enterprise, changes, stored
):
    response = as_user("town_officer").post(
        reverse("enterprise_edit", args=[enterprise.pk]), _form(enterprise, **changes)
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == stored
