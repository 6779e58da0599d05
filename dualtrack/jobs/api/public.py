"""The routes open without an account: a fair's postings, applying with the one-time code, the
job seeker's own applications by their personal link, an introducer's own registration.

Each is rate-limited per client address (``jobs.throttle``), counted before the operation's
transaction (``core.api.before_transaction``) so that one address's requests do not wait on the
counter's row for one another, and left out of the OpenAPI
document, like the checkpoints' QR self-registration: the core's contract tests hold every
documented operation to refuse anonymous callers, and these are public by design (they are
listed in the reviewed set of public operations, dualtrack/core/tests/test_api_problems.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualtrack.core.api import before_transaction, problems, too_many_requests
from dualtrack.core.schemas import AfterId
from dualtrack.jobs import selectors, throttle
from dualtrack.jobs.models import Application
from dualtrack.jobs.schemas import (
    ApplyIn,
    CodeIn,
    CodeIssuedOut,
    IntroducerIn,
    IntroducerOut,
    PublicPostingPageOut,
    SeekerApplicationOut,
    VerifiedOut,
)
from dualtrack.jobs.services import applying, introducers

router = Router()


def _too_many(request: HttpRequest) -> HttpResponse:
    return too_many_requests(
        request, _("Too many requests from this device; wait a minute and try again.")
    )


def _throttled(request: HttpRequest) -> HttpResponse | None:
    """One request counted for the client address; the refusal once past the rate."""
    return None if throttle.allow(request) else _too_many(request)


@router.get(
    "/public/fairs/{fair_id}/postings",
    auth=None,
    include_in_schema=False,
    response={200: PublicPostingPageOut, **problems(404, 422, 429)},
    operation_id="employment_public_postings",
    summary="A fair's open postings, filtered, newest first (no account; rate-limited)",
)
@before_transaction(_throttled)
def public_postings(
    request: HttpRequest,
    fair_id: int,
    industry: int | None = None,
    town: int | None = None,
    pay: int | None = None,
    q: str = "",
    after: AfterId = 0,
) -> Any:
    fair = selectors.public_fair_get(fair_id=fair_id)
    page = selectors.public_posting_page(
        fair=fair,
        filters=selectors.PostingFilter(industry, town, pay, q[:100]),
        after=after,
    )
    return {"items": page.rows, "next_after": page.next_after}


@router.post(
    "/public/postings/{posting_id}/applications",
    auth=None,
    include_in_schema=False,
    response={202: CodeIssuedOut, **problems(404, 409, 422, 429)},
    operation_id="employment_public_apply",
    summary="Apply for a posting; a one-time code goes to the mobile (no account; rate-limited)",
)
@before_transaction(_throttled)
def public_apply(request: HttpRequest, posting_id: int, payload: ApplyIn) -> Any:
    data = applying.clean_application(**payload.model_dump())
    _application, issued = applying.application_start(posting_id=posting_id, data=data)
    return Status(202, {"key": issued.key, "code": issued.shown_code})


def _link(request: HttpRequest, application: Application) -> str:
    token = application.applicant.link_token
    return request.build_absolute_uri(reverse("fair_seeker", args=[token]))


@router.post(
    "/public/applications/verify",
    auth=None,
    include_in_schema=False,
    response={200: VerifiedOut, **problems(404, 409, 422, 429)},
    operation_id="employment_public_verify",
    summary="Enter the one-time code: the application is submitted (no account; rate-limited)",
)
@before_transaction(_throttled)
def public_verify(request: HttpRequest, payload: CodeIn) -> Any:
    application = applying.application_verify(key=payload.key, code=payload.code)
    return {"application_id": application.pk, "link": _link(request, application)}


@router.get(
    "/public/me/{token}",
    auth=None,
    include_in_schema=False,
    response={200: list[SeekerApplicationOut], **problems(404, 429)},
    operation_id="employment_public_mine",
    summary="A job seeker's own applications, by their personal link (no account; rate-limited)",
)
@before_transaction(_throttled)
def public_mine(request: HttpRequest, token: str) -> Any:
    applicant = applying.applicant_for_link(token)
    return list(selectors.applications_of(applicant=applicant)[:100])


@router.post(
    "/public/introducers",
    auth=None,
    include_in_schema=False,
    response={202: CodeIssuedOut, **problems(409, 422, 429)},
    operation_id="employment_public_introducer_register",
    summary="Register oneself as an introducer; a one-time code goes to the mobile",
)
@before_transaction(_throttled)
def public_introducer_register(request: HttpRequest, payload: IntroducerIn) -> Any:
    data = introducers.clean_introducer(**payload.model_dump())
    _introducer, issued = introducers.introducer_self_register(data=data)
    return Status(202, {"key": issued.key, "code": issued.shown_code})


@router.post(
    "/public/introducers/verify",
    auth=None,
    include_in_schema=False,
    response={200: IntroducerOut, **problems(409, 422, 429)},
    operation_id="employment_public_introducer_verify",
    summary="Enter the one-time code of an introducer's own registration",
)
@before_transaction(_throttled)
def public_introducer_verify(request: HttpRequest, payload: CodeIn) -> Any:
    return introducers.introducer_verify(key=payload.key, code=payload.code)
