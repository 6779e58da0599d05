"""Party branches, commando teams and deployments (/volunteers/branches/…, /teams/…,
/deployments/…): the lists in sight, a page at a time, each record, and the forms that found
a branch and add its members, form a team and send a cadre down, and change them — through
the same services as the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.areas.access import area_get_for_write
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import add_domain_error
from dualtrack.core.validators import parse_id
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.volunteers import access, selectors
from dualtrack.volunteers.forms import BranchForm, DeploymentForm, MemberForm, TeamForm
from dualtrack.volunteers.models import BranchMember
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


def _form_page(
    request: AuthenticatedRequest,
    form: forms.Form,
    *,
    title: str,
    cancel: str,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel": cancel}
    return render(request, "volunteers/record_form.html", context, status=status)


def _saved(
    request: AuthenticatedRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: Callable[[Any], str],
    message: str,
) -> str | None:
    """Validate the posted form and save it through ``save``: the page to go to, or None with
    the form's errors (the service's refusals on their fields)."""
    if not form.is_valid():
        return None
    try:
        record = save(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return None
    messages.success(request, message)
    return done(record)


def _with(options: list[tuple[int, str]], pk: int | None, label: object) -> list[tuple[int, str]]:
    """The options, with the record's current choice even when it is past the bounded list."""
    if pk is None or any(value == pk for value, _label in options):
        return options
    return [*options, (pk, str(label))]


def _checkpoint(request: AuthenticatedRequest, checkpoint_id: int | None) -> Any:
    if checkpoint_id is None:
        return None
    try:
        return checkpoint_get_for(user=request.user, checkpoint_id=checkpoint_id)
    except NotFound as exc:
        raise NotFound(
            errors=[{"field": "checkpoint_id", "message": str(NotFound.default_message)}]
        ) from exc


def _area(request: AuthenticatedRequest, area_id: int) -> Any:
    return area_get_for_write(user=request.user, area_id=area_id)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def branch_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """Found a temporary party branch (``pk`` None) or change one."""
    branch = selectors.branch_get_for(user=request.user, branch_id=pk) if pk else None
    if branch is not None:
        access.require_area(request.user, branch.area, manage=True)
    else:
        access.require_manage_somewhere(request.user)
    areas = selectors.manage_area_options_for(user=request.user)
    checkpoints = selectors.checkpoint_options_for(user=request.user)
    initial: dict[str, Any] = {}
    if branch is not None:
        areas = _with(areas, branch.area_id, branch.area.name)
        checkpoints = _with(checkpoints, branch.checkpoint_id, branch.checkpoint)
        initial = {
            "area": branch.area_id,
            "name": branch.name,
            "site": branch.site,
            "checkpoint_id": branch.checkpoint_id,
            "work_team": branch.work_team,
            "founded_on": branch.founded_on,
        }
    form = BranchForm(request.POST or None, initial=initial, areas=areas, checkpoints=checkpoints)

    def save(data: dict[str, Any]) -> Any:
        fields = {
            "area": _area(request, data["area"]),
            "name": data["name"],
            "site": data["site"],
            "founded_on": data["founded_on"],
            "checkpoint": _checkpoint(request, data["checkpoint_id"]),
            "work_team": data["work_team"],
        }
        if branch is None:
            return frontline.branch_found(actor=request.user, **fields)
        return frontline.branch_update(actor=request.user, branch=branch, **fields)

    title = _("Change the branch") if branch else _("Found a temporary party branch")
    cancel = (
        reverse("volunteers_branch", args=[branch.pk]) if branch else reverse("volunteers_branches")
    )
    if request.method == "POST":
        done = _saved(
            request,
            form,
            save,
            done=lambda b: reverse("volunteers_branch", args=[b.pk]),
            message=_("Branch saved."),
        )
        if done:
            return redirect(done)
        return _form_page(request, form, title=title, cancel=cancel, status=422)
    return _form_page(request, form, title=title, cancel=cancel)


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
    cadres = selectors.cadre_options_for(user=request.user)
    initial: dict[str, Any] = {}
    if member is not None:
        cadres = _with(cadres, member.cadre_id, member.name)
        initial = {
            "name": member.name,
            "is_secretary": member.is_secretary,
            "zone_kind": member.zone_kind,
            "zone": member.zone,
            "households": member.households,
            "cadre_id": member.cadre_id,
        }
    form = MemberForm(request.POST or None, initial=initial, cadres=cadres)

    def save(data: dict[str, Any]) -> Any:
        fields = {
            "name": data["name"],
            "zone_kind": data["zone_kind"],
            "zone": data["zone"],
            "households": data["households"] or 0,
            "is_secretary": data["is_secretary"],
            "cadre_id": data["cadre_id"],
        }
        if member is None:
            return frontline.member_add(actor=request.user, branch=branch, **fields)
        member.branch = branch
        return frontline.member_update(actor=request.user, member=member, **fields)

    title = (
        _("Change %(name)s") % {"name": member.name}
        if member
        else _("Add a party member to %(branch)s") % {"branch": branch.name}
    )
    cancel = reverse("volunteers_branch", args=[branch.pk])
    if request.method == "POST":
        done = _saved(request, form, save, done=lambda _m: cancel, message=_("Party member saved."))
        if done:
            return redirect(done)
        return _form_page(request, form, title=title, cancel=cancel, status=422)
    return _form_page(request, form, title=title, cancel=cancel)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def team_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """Form a commando team (``pk`` None) or change one: members, task, period."""
    team = selectors.team_get_for(user=request.user, team_id=pk) if pk else None
    if team is not None:
        access.require_area(request.user, team.area, manage=True)
    else:
        access.require_manage_somewhere(request.user)
    areas = selectors.manage_area_options_for(user=request.user)
    initial: dict[str, Any] = {}
    if team is not None:
        areas = _with(areas, team.area_id, team.area.name)
        initial = {
            "area": team.area_id,
            "name": team.name,
            "leader": team.leader,
            "members": team.members,
            "task": team.task,
            "starts_on": team.starts_on,
            "ends_on": team.ends_on,
        }
    form = TeamForm(request.POST or None, initial=initial, areas=areas)

    def save(data: dict[str, Any]) -> Any:
        fields = {
            "area": _area(request, data["area"]),
            "name": data["name"],
            "leader": data["leader"],
            "members": form.member_names(),
            "task": data["task"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
        }
        if team is None:
            return frontline.team_create(actor=request.user, **fields)
        return frontline.team_update(actor=request.user, team=team, **fields)

    title = _("Change the commando team") if team else _("Form a commando team")
    cancel = reverse("volunteers_team", args=[team.pk]) if team else reverse("volunteers_teams")
    if request.method == "POST":
        done = _saved(
            request,
            form,
            save,
            done=lambda t: reverse("volunteers_team", args=[t.pk]),
            message=_("Commando team saved."),
        )
        if done:
            return redirect(done)
        return _form_page(request, form, title=title, cancel=cancel, status=422)
    return _form_page(request, form, title=title, cancel=cancel)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def deployment_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """Send a cadre down (``pk`` None) or change the deployment."""
    deployment = selectors.deployment_get_for(user=request.user, deployment_id=pk) if pk else None
    if deployment is not None:
        access.require_area(request.user, deployment.area, manage=True)
    else:
        access.require_manage_somewhere(request.user)
    areas = selectors.manage_area_options_for(user=request.user)
    cadres = selectors.cadre_options_for(user=request.user)
    initial: dict[str, Any] = {}
    if deployment is not None:
        areas = _with(areas, deployment.area_id, deployment.area.name)
        cadres = _with(cadres, deployment.cadre_id, deployment.cadre.name)
        if deployment.leader is not None:
            cadres = _with(cadres, deployment.leader_id, deployment.leader.name)
        initial = {
            "cadre_id": deployment.cadre_id,
            "area": deployment.area_id,
            "task": deployment.task,
            "starts_on": deployment.starts_on,
            "ends_on": deployment.ends_on,
            "leader_id": deployment.leader_id,
        }
    form = DeploymentForm(request.POST or None, initial=initial, areas=areas, cadres=cadres)

    def save(data: dict[str, Any]) -> Any:
        fields = {
            "cadre_id": data["cadre_id"],
            "area": _area(request, data["area"]),
            "task": data["task"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "leader_id": data["leader_id"],
        }
        if deployment is None:
            return frontline.deployment_create(actor=request.user, **fields)
        return frontline.deployment_update(actor=request.user, deployment=deployment, **fields)

    title = _("Change the deployment") if deployment else _("Send a cadre down")
    cancel = (
        reverse("volunteers_deployment", args=[deployment.pk])
        if deployment
        else reverse("volunteers_deployments")
    )
    if request.method == "POST":
        done = _saved(
            request,
            form,
            save,
            done=lambda d: reverse("volunteers_deployment", args=[d.pk]),
            message=_("Deployment saved."),
        )
        if done:
            return redirect(done)
        return _form_page(request, form, title=title, cancel=cancel, status=422)
    return _form_page(request, form, title=title, cancel=cancel)


urlpatterns: list[URLPattern] = [
    path("volunteers/", index, name="volunteers_index"),
    path("volunteers/branches/", branch_list, name="volunteers_branches"),
    path("volunteers/branches/<int:pk>/", branch_detail, name="volunteers_branch"),
    path("volunteers/teams/", team_list, name="volunteers_teams"),
    path("volunteers/teams/<int:pk>/", team_detail, name="volunteers_team"),
    path("volunteers/deployments/", deployment_list, name="volunteers_deployments"),
    path("volunteers/deployments/<int:pk>/", deployment_detail, name="volunteers_deployment"),
    path("volunteers/branches/new/", branch_form, name="volunteers_branch_new"),
    path("volunteers/branches/<int:pk>/edit/", branch_form, name="volunteers_branch_edit"),
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
    path("volunteers/teams/new/", team_form, name="volunteers_team_new"),
    path("volunteers/teams/<int:pk>/edit/", team_form, name="volunteers_team_edit"),
    path("volunteers/deployments/new/", deployment_form, name="volunteers_deployment_new"),
    path(
        "volunteers/deployments/<int:pk>/edit/",
        deployment_form,
        name="volunteers_deployment_edit",
    ),
]
