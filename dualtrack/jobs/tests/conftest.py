"""Fixtures of the employment tests: enterprises in two towns and an enterprise login (the
enterprises' own fixtures), the enterprise-services group, an open fair and its postings."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dualtrack.core.models import User
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.tests.conftest import (  # noqa: F401 (fixtures)
    ent_user,
    enterprise,
    far_enterprise,
    supervisor,
    wg_enterprise,
)
from dualtrack.jobs.models import Fair, Posting
from dualtrack.jobs.tests.factories import FairFactory, PostingFactory


@pytest.fixture(autouse=True)
def _codes_shown(settings):
    """The tests read the one-time code as the demo does: shown by the sender."""
    settings.JOBS_CODE_SENDER = "shown"


@dataclass
class Recruiting:
    group: User  # the enterprise-services group
    fair: Fair  # open, with both enterprises taking part
    enterprise: Enterprise  # 昌东镇, ``ent_user``'s
    far_enterprise: Enterprise  # 麻丘镇
    ent_user: User
    posting: Posting  # the enterprise's, in the fair
    far_posting: Posting  # the far enterprise's, in the fair


@pytest.fixture
def recruiting(wg_enterprise, enterprise, far_enterprise, ent_user) -> Recruiting:  # noqa: F811
    fair = FairFactory.create(actor=wg_enterprise, enterprises=[enterprise, far_enterprise])
    posting = PostingFactory.create(actor=ent_user, enterprise=enterprise, fair=fair)
    far_posting = PostingFactory.create(actor=wg_enterprise, enterprise=far_enterprise, fair=fair)
    return Recruiting(
        wg_enterprise, fair, enterprise, far_enterprise, ent_user, posting, far_posting
    )
