"""Party branches, commando teams and deployments (/volunteers/branches/…, /teams/…,
/deployments/…): the lists in sight, a page at a time, each record, and the forms that found
a branch and add its members, form a team and send a cadre down, and change them — through
the same services as the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.areas.access import area_get_for_write
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import add_domain_error
from dualtrack.core.models import User
from dualtrack.core.validators import parse_id
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.volunteers import access, selectors
from dualtrack.volunteers.forms import BranchForm, DeploymentForm, MemberForm, TeamForm
from dualtrack.volunteers.models import BranchMember, CommandoTeam, Deployment, PartyBranch
from dualtrack.volunteers.services import frontline


def _after(request: AuthenticatedRequest) -> int | None:
    return parse_id(request.GET.get("after", "")) or None


@require_GET
@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The front line's home: one's own duties, and the links to what the user sees."""
    context = {
        "assignments": selectors.my_assignments(user=request.user)[:10],
        "sees": access.sees_front_line(request.user),
        "may_manage": access.may_manage_somewhere(request.user),
    }
    return render(request, "volunteers/index.html", context)


@require_GET
@login_required
def branch_list(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.branch_page_for(user=request.user, after=_after(request))
    context = {"page": page, "may_manage": access.may_manage_somewhere(request.user)}
    return render(request, "volunteers/branch_list.html", context)


@require_GET
@login_required
@domain_errors_as_http
def branch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    branch = selectors.branch_get_for(user=request.user, branch_id=pk)
    context = {"branch": branch, "may_manage": access.may_manage(request.user, branch.area)}
    return render(request, "volunteers/branch_detail.html", context)


@require_GET
@login_required
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.team_page_for(user=request.user, after=_after(request))
    context = {"page": page, "may_manage": access.may_manage_somewhere(request.user)}
    return render(request, "volunteers/team_list.html", context)


@require_GET
@login_required
@domain_errors_as_http
def team_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for(user=request.user, team_id=pk)
    context = {"team": team, "may_manage": access.may_manage(request.user, team.area)}
    return render(request, "volunteers/team_detail.html", context)


@require_GET
@login_required
def deployment_list(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.deployment_page_for(user=request.user, after=_after(request))
    context = {"page": page, "may_manage": access.may_manage_somewhere(request.user)}
    return render(request, "volunteers/deployment_list.html", context)


@require_GET
@login_required
@domain_errors_as_http
def deployment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    deployment = selectors.deployment_get_for(user=request.user, deployment_id=pk)
    context = {
        "deployment": deployment,
        "may_manage": access.may_manage(request.user, deployment.area),
    }
    return render(request, "volunteers/deployment_detail.html", context)


# --- The forms --------------------------------------------------------------------------------

Options = list[tuple[int, str]]


def _with(options: Options, pk: int | None, label: object) -> Options:
    """The options, with the record's current choice even when it is past the bounded list."""
    if pk is None or any(value == pk for value, _label in options):
        return options
    return [*options, (pk, str(label))]


def _branch_choices(user: User, branch: PartyBranch | None) -> dict[str, Options]:
    areas = selectors.manage_area_options_for(user=user)
    checkpoints = selectors.checkpoint_options_for(user=user)
    if branch is not None:
        areas = _with(areas, branch.area_id, branch.area.name)
        checkpoints = _with(checkpoints, branch.checkpoint_id, branch.checkpoint)
    return {"areas": areas, "checkpoints": checkpoints}


def _member_choices(user: User, member: BranchMember | None) -> dict[str, Options]:
    cadres = selectors.cadre_options_for(user=user)
    if member is not None:
        cadres = _with(cadres, member.cadre_id, member.name)
    return {"cadres": cadres}


def _team_choices(user: User, team: CommandoTeam | None) -> dict[str, Options]:
    areas = selectors.manage_area_options_for(user=user)
    if team is not None:
        areas = _with(areas, team.area_id, team.area.name)
    return {"areas": areas}


def _deployment_choices(user: User, deployment: Deployment | None) -> dict[str, Options]:
    areas = selectors.manage_area_options_for(user=user)
    cadres = selectors.cadre_options_for(user=user)
    if deployment is not None:
        areas = _with(areas, deployment.area_id, deployment.area.name)
        cadres = _with(cadres, deployment.cadre_id, deployment.cadre.name)
        if deployment.leader is not None:
            cadres = _with(cadres, deployment.leader_id, deployment.leader.name)
    return {"areas": areas, "cadres": cadres}


@dataclass(frozen=True)
class RecordKind:
    """How the pages make and change one kind of record. The form's fields are the services'
    arguments, and a record's values of the same names are the form's initial values (an
    ``area`` is chosen by its id, found in the user's scope, and so is a ``checkpoint_id``)."""

    form: type[forms.Form]
    choices: Callable[[User, Any], dict[str, Any]]  # the option lists the form is bounded to
    create: Callable[..., Any]
    update: Callable[..., Any]
    record_arg: str  # the update service's name for the record it changes
    saved: Promise  # the message once saved
    # A kind with pages of its own (a branch's members are on the branch's):
    get: Callable[[User, int], Any] | None = None
    new_title: Promise | str = ""
    edit_title: Promise | str = ""
    list_page: str = ""  # URL names
    page: str = ""


BRANCH = RecordKind(
    form=BranchForm,
    choices=_branch_choices,
    create=frontline.branch_found,
    update=frontline.branch_update,
    record_arg="branch",
    saved=gettext_lazy("Branch saved."),
    get=lambda user, pk: selectors.branch_get_for(user=user, branch_id=pk),
    new_title=gettext_lazy("Found a temporary party branch"),
    edit_title=gettext_lazy("Change the branch"),
    list_page="volunteers_branches",
    page="volunteers_branch",
)
MEMBER = RecordKind(
    form=MemberForm,
    choices=_member_choices,
    create=frontline.member_add,
    update=frontline.member_update,
    record_arg="member",
    saved=gettext_lazy("Party member saved."),
)
TEAM = RecordKind(
    form=TeamForm,
    choices=_team_choices,
    create=frontline.team_create,
    update=frontline.team_update,
    record_arg="team",
    saved=gettext_lazy("Commando team saved."),
    get=lambda user, pk: selectors.team_get_for(user=user, team_id=pk),
    new_title=gettext_lazy("Form a commando team"),
    edit_title=gettext_lazy("Change the commando team"),
    list_page="volunteers_teams",
    page="volunteers_team",
)
DEPLOYMENT = RecordKind(
    form=DeploymentForm,
    choices=_deployment_choices,
    create=frontline.deployment_create,
    update=frontline.deployment_update,
    record_arg="deployment",
    saved=gettext_lazy("Deployment saved."),
    get=lambda user, pk: selectors.deployment_get_for(user=user, deployment_id=pk),
    new_title=gettext_lazy("Send a cadre down"),
    edit_title=gettext_lazy("Change the deployment"),
    list_page="volunteers_deployments",
    page="volunteers_deployment",
)


def _in_scope(request: AuthenticatedRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The form's cleaned data as the services take it: the area and the checkpoint chosen by
    id, found through the user's scope (one out of sight on its field, as not found)."""
    fields = dict(data)
    if "area" in fields:
        fields["area"] = area_get_for_write(user=request.user, area_id=fields["area"])
    if "checkpoint_id" in fields:
        checkpoint_id = fields.pop("checkpoint_id")
        fields["checkpoint"] = None
        if checkpoint_id is not None:
            try:
                fields["checkpoint"] = checkpoint_get_for(
                    user=request.user, checkpoint_id=checkpoint_id
                )
            except NotFound as exc:
                raise NotFound(
                    errors=[{"field": "checkpoint_id", "message": str(NotFound.default_message)}]
                ) from exc
    return fields


def _record_form(
    request: AuthenticatedRequest,
    kind: RecordKind,
    record: Any,
    *,
    title: str,
    cancel: str,
    done: Callable[[Any], str],
    owner: dict[str, Any],
) -> HttpResponse:
    """The form of ``kind`` that makes a record (``record`` None; ``owner`` the services'
    arguments that place it) or changes ``record``; once saved, to the page ``done`` names,
    else the form again with its errors (the service's refusals on their fields), 422."""
    initial = (
        {name: record.serializable_value(name) for name in kind.form.base_fields}
        if record is not None
        else {}
    )
    form = kind.form(request.POST or None, initial=initial, **kind.choices(request.user, record))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                fields = _in_scope(request, form.cleaned_data)
                if record is None:
                    saved = kind.create(actor=request.user, **owner, **fields)
                else:
                    saved = kind.update(actor=request.user, **{kind.record_arg: record}, **fields)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, str(kind.saved))
                return redirect(done(saved))
        status = 422
    context = {"form": form, "title": title, "cancel": cancel}
    return render(request, "volunteers/record_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def record_form(
    request: AuthenticatedRequest, kind: RecordKind, pk: int | None = None
) -> HttpResponse:
    """Found a temporary party branch, form a commando team or send a cadre down (``pk``
    None), or change one."""
    assert kind.get is not None
    record = kind.get(request.user, pk) if pk else None
    if record is not None:
        access.require_area(request.user, record.area, manage=True)
        title, cancel = str(kind.edit_title), reverse(kind.page, args=[record.pk])
    else:
        access.require_manage_somewhere(request.user)
        title, cancel = str(kind.new_title), reverse(kind.list_page)
    return _record_form(
        request,
        kind,
        record,
        title=title,
        cancel=cancel,
        done=lambda saved: reverse(kind.page, args=[saved.pk]),
        owner={},
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def member_form(
    request: AuthenticatedRequest, branch_pk: int, pk: int | None = None
) -> HttpResponse:
    """Add a party member to a branch with their responsibility zone (``pk`` None), or
    change one."""
    branch = selectors.branch_get_for(user=request.user, branch_id=branch_pk)
    access.require_area(request.user, branch.area, manage=True)
    member: BranchMember | None = None
    if pk is not None:
        member = next((m for m in branch.members.all() if m.pk == pk), None)
        if member is None:
            raise NotFound()
        member.branch = branch
    title = (
        _("Change %(name)s") % {"name": member.name}
        if member
        else _("Add a party member to %(branch)s") % {"branch": branch.name}
    )
    cancel = reverse("volunteers_branch", args=[branch.pk])
    return _record_form(
        request,
        MEMBER,
        member,
        title=title,
        cancel=cancel,
        done=lambda _saved: cancel,
        owner={"branch": branch},
    )


urlpatterns: list[URLPattern] = [
    path("volunteers/", index, name="volunteers_index"),
    path("volunteers/branches/", branch_list, name="volunteers_branches"),
    path("volunteers/branches/<int:pk>/", branch_detail, name="volunteers_branch"),
    path("volunteers/teams/", team_list, name="volunteers_teams"),
    path("volunteers/teams/<int:pk>/", team_detail, name="volunteers_team"),
    path("volunteers/deployments/", deployment_list, name="volunteers_deployments"),
    path("volunteers/deployments/<int:pk>/", deployment_detail, name="volunteers_deployment"),
    path("volunteers/branches/new/", record_form, {"kind": BRANCH}, name="volunteers_branch_new"),
    path(
        "volunteers/branches/<int:pk>/edit/",
        record_form,
        {"kind": BRANCH},
        name="volunteers_branch_edit",
    ),
    path(
        "volunteers/branches/<int:branch_pk>/members/new/",
        member_form,
        name="volunteers_member_new",
    ),
    path(
        "volunteers/branches/<int:branch_pk>/members/<int:pk>/edit/",
        member_form,
        name="volunteers_member_edit",
    ),
    path("volunteers/teams/new/", record_form, {"kind": TEAM}, name="volunteers_team_new"),
    path(
        "volunteers/teams/<int:pk>/edit/", record_form, {"kind": TEAM}, name="volunteers_team_edit"
    ),
    path(
        "volunteers/deployments/new/",
        record_form,
        {"kind": DEPLOYMENT},
        name="volunteers_deployment_new",
    ),
    path(
        "volunteers/deployments/<int:pk>/edit/",
        record_form,
        {"kind": DEPLOYMENT},
        name="volunteers_deployment_edit",
    ),
]
