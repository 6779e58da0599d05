"""Authentication of the API, and the core's own routes: the caller's profile and API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.security import HttpBearer, SessionAuth

from dualtrack.core import selectors, services
from dualtrack.core.api.problems import ProblemOut, problems
from dualtrack.core.models import ApiToken, User
from dualtrack.core.platform import InboxItem, account_grants_for, inbox_for
from dualtrack.core.schemas import (
    ApiTokenOut,
    InboxItemOut,
    IssuedTokenOut,
    LanguageIn,
    MeOut,
    TokenCreateIn,
)
from dualtrack.core.services import api_token_authenticate
from dualtrack.core.views import AuthenticatedRequest


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dt_…`` — a per-user token, scoped exactly like its user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), SessionAuth()]


# --- The core's own routes: the caller's profile and API tokens --------------------------------

router = Router(tags=["account"])


def _me(user: User) -> dict[str, Any]:
    grants = account_grants_for(user=user)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "language": user.language,
        "grants": grants,
    }


@router.get(
    "/me",
    response={200: MeOut, 401: ProblemOut},
    operation_id="account_me",
    summary="The signed-in user, their language and role grants",
)
def me(request: AuthenticatedRequest) -> dict[str, Any]:
    return _me(request.user)


@router.get(
    "/inbox",
    response={200: list[InboxItemOut], **problems(401)},
    operation_id="account_inbox",
    summary="What waits for the caller to act on, from every app: the urgent first, newest next",
)
def inbox(request: AuthenticatedRequest) -> list[InboxItem]:
    return inbox_for(request.user)


@router.put(
    "/me/language",
    response={200: MeOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 422: ProblemOut},
    operation_id="account_language_set",
    summary="Choose the language of pages and API messages",
)
def language_set(request: AuthenticatedRequest, payload: LanguageIn) -> dict[str, Any]:
    return _me(services.user_set_language(actor=request.user, language=payload.language))


@router.get(
    "/tokens",
    response={200: list[ApiTokenOut], 401: ProblemOut},
    operation_id="account_token_list",
    summary="The caller's API tokens, newest first",
)
def token_list(request: AuthenticatedRequest) -> QuerySet[ApiToken]:
    return selectors.api_token_list_for(user=request.user)


@router.post(
    "/tokens",
    response={
        201: IssuedTokenOut,
        400: ProblemOut,
        401: ProblemOut,
        403: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    operation_id="account_token_create",
    summary="Issue an API token; the raw token is returned this once",
)
def token_create(
    request: AuthenticatedRequest, payload: TokenCreateIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    issued = services.api_token_create(actor=request.user, name=payload.name)
    response["Cache-Control"] = "no-store"
    return Status(201, {**ApiTokenOut.from_orm(issued.token).model_dump(), "token": issued.raw})


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    operation_id="account_token_revoke",
    summary="Revoke one of the caller's tokens; it stops working at once",
)
def token_revoke(request: AuthenticatedRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(actor=request.user, token_id=token_id)
    return Status(204, None)
