"""The app contract: every app plugs in through one registration, and the registry refuses
two apps claiming the same thing."""

from __future__ import annotations

import pytest
from django.apps import apps

from dualtrack.core import platform
from dualtrack.core.models import AuditEntry


def test_every_domain_app_registers_its_contribution():
    labels = [c.label for c in platform.contributions()]
    for label in ("areas", "checkpoints", "enterprises", "supplies"):
        assert label in labels
    # In the order of INSTALLED_APPS, so that home pages and counts come in a stable order.
    installed = [config.label for config in apps.get_app_configs()]
    ours = [label for label in labels if label in installed]
    assert ours == sorted(ours, key=installed.index)


@pytest.mark.parametrize(
    ("app_label", "model_name"),
    [
        ("areas", "resident"),
        ("checkpoints", "checkpoint"),
        ("checkpoints", "alert"),
        ("enterprises", "enterprise"),
        ("enterprises", "employee"),
        ("supplies", "holder"),
    ],
)
def test_the_records_with_a_history_page_have_an_audit_scope(app_label, model_name):
    assert platform.audit_scope_for(apps.get_model(app_label, model_name)) is not None


def test_every_job_kind_started_by_an_app_has_its_handler():
    for kind in (
        "areas.residents_import",
        "checkpoints.register_export",
        "supplies.ledger_export",
    ):
        assert platform.job_handler_for(kind) is not None, kind


def test_registering_twice_is_harmless_but_two_claims_are_refused(monkeypatch):
    monkeypatch.setattr(platform, "_contributions", {})

    def handler(job, progress):
        raise AssertionError

    def never(user):
        return AuditEntry.objects.none()

    scope = platform.AuditScope(model=AuditEntry, visible=never, area_visible=lambda u, c: False)
    first = platform.AppContribution(label="one", audit_scopes=(scope,), jobs={"one.x": handler})
    platform.register(first)
    platform.register(first)
    assert platform.contributions() == [first]
    with pytest.raises(ValueError, match="registered already"):
        platform.register(platform.AppContribution(label="one"))
    with pytest.raises(ValueError, match="audit scopes"):
        platform.register(platform.AppContribution(label="two", audit_scopes=(scope,)))
    with pytest.raises(ValueError, match="job kinds"):
        platform.register(platform.AppContribution(label="three", jobs={"one.x": handler}))
    assert platform.job_handler_for("one.x") is handler
    assert platform.job_handler_for("nope") is None


def test_figures_come_app_by_app_in_registration_order(monkeypatch, django_user_model, db):
    monkeypatch.setattr(platform, "_contributions", {})
    user = django_user_model.objects.create_user(username="u", password="x")

    def first(*, user, day):
        return [platform.Figure(key="a.one", label="One", value=1)]

    def second(*, user, day):
        return [platform.Figure(key="b.two", label="Two", value=2, unit="人", link="/b/")]

    platform.register(platform.AppContribution(label="a", figures=first))
    platform.register(platform.AppContribution(label="b", figures=second))
    platform.register(platform.AppContribution(label="c"))
    import datetime

    keys = [f.key for f in platform.figures_for(user=user, day=datetime.date(2020, 2, 1))]
    assert keys == ["a.one", "b.two"]
