"""The panel's pages: the list, a signal with its charts and records link, acknowledging and
closing (htmx and not), the recomputation form; and the inbox items a signal gives."""

from __future__ import annotations

import json

import pytest

from dualtrack.core.platform import inbox_for
from dualtrack.core.tests.helpers import followed_job, starting_jobs
from dualtrack.prediction.models import Run, SignalState
from dualtrack.prediction.tests.conftest import END, START

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_panel_lists_the_open_signals_in_scope(as_user, computed):
    page = as_user("town_officer").get("/prediction/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-signal="{computed["near"].pk}"' in html
    assert f'data-signal="{computed["far"].pk}"' not in html
    assert "艾溪村" in html and "C3" in html


def test_the_panel_reads_in_a_fixed_number_of_queries(
    as_user, computed, personas, django_assert_max_num_queries
):
    from dualtrack.prediction.models import Signal
    from dualtrack.prediction.services.signals import signal_acknowledge

    for signal in Signal.objects.filter(area__code__startswith=computed["near"].area.code[:4]):
        signal_acknowledge(actor=personas.town_officer, signal=signal, note="在查")
    client = as_user("district_admin")
    with django_assert_max_num_queries(14):
        assert client.get("/prediction/?state=all").status_code == 200


def test_the_panel_is_404_to_those_without_the_early_warning(as_user, computed):
    assert as_user("village_cadre").get("/prediction/").status_code == 404


def test_a_signal_shows_its_charts_and_the_records_behind_it(as_user, computed, district):
    page = as_user("town_officer").get(f"/prediction/signals/{computed['near'].pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="prediction-series"' in html and f'href="/r/{district.village.pk}/{END}"' in html
    data = json.loads(
        html.split('id="prediction-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["days"][-1]["count"] == 20 and data["days"][-1]["flag"]
    assert data["days"][-1]["upper"] is not None


def test_a_towns_signal_shows_rt_greyed_where_too_few_and_the_projection(
    as_user, computed, district
):
    from dualtrack.prediction.models import Signal

    signal = Signal.objects.filter(area=district.town).first()
    html = as_user("town_officer").get(f"/prediction/signals/{signal.pk}/").content.decode()
    assert 'id="prediction-rt"' in html and 'id="prediction-projection"' in html
    assert "data-assumption" in html


def test_acknowledging_by_htmx_moves_it_out_of_the_open_list(as_user, computed):
    client = as_user("town_officer")
    pk = computed["near"].pk
    answer = client.post(f"/prediction/signals/{pk}/acknowledge/", {"note": "在查"}, **HTMX)
    assert answer.status_code == 200 and 'data-state="acknowledged"' in answer.content.decode()
    assert f'data-signal="{pk}"' not in client.get("/prediction/").content.decode()
    acknowledged = client.get("/prediction/?state=acknowledged").content.decode()
    assert f'data-signal="{pk}"' in acknowledged


def test_closing_without_a_note_is_a_422_form_error_and_nothing_changes(as_user, computed):
    client = as_user("town_officer")
    pk = computed["near"].pk
    answer = client.post(f"/prediction/signals/{pk}/close/", {"note": ""}, **HTMX)
    assert answer.status_code == 422
    computed["near"].refresh_from_db()
    assert computed["near"].state == SignalState.OPEN
    done = client.post(f"/prediction/signals/{pk}/close/", {"note": "排查完毕"})
    assert done.status_code == 302
    computed["near"].refresh_from_db()
    assert computed["near"].state == SignalState.CLOSED


def test_a_signal_is_in_the_inbox_of_the_town_and_the_prevention_group_until_acknowledged(
    as_user, computed, personas, prevention
):
    key = f"prediction.signal:{computed['near'].pk}"
    assert key in {i.key for i in inbox_for(personas.town_officer)}
    assert key in {i.key for i in inbox_for(prevention)}
    assert key not in {i.key for i in inbox_for(personas.commander)}
    as_user("town_officer").post(f"/prediction/signals/{computed['near'].pk}/acknowledge/", {})
    assert key not in {i.key for i in inbox_for(prevention)}


def test_recomputing_from_the_panel(as_user, client, prevention, computed):
    assert as_user("town_officer").get("/prediction/recompute/").status_code == 403
    client.force_login(prevention)
    refused = client.post(
        "/prediction/recompute/", {"end": END.isoformat(), "si_mean": "4", "si_sd": "0"}
    )
    assert refused.status_code == 422 and "标准差" in refused.content.decode()
    runs = Run.objects.count()
    with starting_jobs():
        response = client.post(
            "/prediction/recompute/",
            {"end": END.isoformat(), "start": START.isoformat(), "si_mean": "4.7", "si_sd": "2.9"},
        )
    job, _page = followed_job(client, response)
    assert job.state == "done" and Run.objects.count() == runs + 1
