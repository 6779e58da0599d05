"""The people on the front line (一线力量): temporary party branches and their members'
responsibility zones, commando teams, cadres sent down, volunteers, and the duty rosters that put
them on the checkpoints' shifts and on community duties."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, Cadre
from dualtrack.checkpoints.models import Checkpoint, Shift
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone


class BranchSite(models.TextChoices):
    CHECKPOINT = "checkpoint", _("at a checkpoint")
    COMMUNITY = "community", _("in a community")
    WORK_TEAM = "work_team", _("with an enterprise working team")


class PartyBranch(models.Model):
    """A temporary party branch (临时党支部), founded where the work is."""

    name = models.CharField(_("name"), max_length=100)
    site = models.CharField(_("founded"), max_length=12, choices=BranchSite.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checkpoint"),
    )
    work_team = models.CharField(_("working team"), max_length=100, blank=True, default="")
    founded_on = models.DateField(_("founded on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("temporary party branch")
        verbose_name_plural = _("temporary party branches")
        ordering = ["id"]
        indexes = [models.Index(fields=["area", "id"], name="branch_area_id_idx")]

    def __str__(self) -> str:
        return self.name


class ZoneKind(models.TextChoices):
    HOUSEHOLDS = "households", _("households")
    GATE = "gate", _("a gate")
    GROUP = "group", pgettext_lazy("responsibility zone", "a group")


class BranchMember(models.Model):
    """A party member of a branch and the responsibility zone they answer for (党员责任区)."""

    branch = models.ForeignKey(
        PartyBranch, on_delete=models.CASCADE, related_name="members", verbose_name=_("branch")
    )
    name = models.CharField(_("name"), max_length=50)
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cadre"),
    )
    is_secretary = models.BooleanField(_("secretary"), default=False)
    zone_kind = models.CharField(_("responsibility zone"), max_length=12, choices=ZoneKind.choices)
    zone = models.CharField(_("zone"), max_length=200)
    households = models.PositiveIntegerField(_("households"), default=0)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["branch", "-is_secretary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch"], condition=Q(is_secretary=True), name="branch_one_secretary"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommandoTeam(models.Model):
    """A party-member commando team (党员突击队) sent to one task for a time."""

    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    leader = models.CharField(_("leader"), max_length=50)
    members = models.TextField(_("members"), blank=True, default="")
    task = models.CharField(_("task"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commando team")
        verbose_name_plural = _("commando teams")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="team_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def member_names(self) -> list[str]:
        return [n for n in (line.strip() for line in self.members.splitlines()) if n]


class Deployment(models.Model):
    """A cadre sent down (下沉干部): where, to do what, from when, who leads them."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("cadre")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent to")
    )
    task = models.CharField(_("task"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    leader = models.ForeignKey(
        Cadre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("led by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["id"]
        indexes = [models.Index(fields=["area", "id"], name="deployment_area_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="deployment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.area}"


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class Volunteer(models.Model):
    """A volunteer (志愿者) who signed up on the public page, and the village's review."""

    AUDIT_MASKS = {"id_number": mask_id_number, "mobile": mask_phone}

    name = models.CharField(_("name"), max_length=50)
    mobile = EncryptedTextField(_("mobile"))
    mobile_digest = models.CharField(max_length=64, editable=False)
    id_number = EncryptedTextField(_("ID number"))
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    skills = models.CharField(_("skills"), max_length=200, blank=True, default="")
    hours_per_week = models.PositiveSmallIntegerField(_("hours available a week"))
    villages = models.ManyToManyField(
        Area, related_name="+", verbose_name=_("villages and communities")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.PENDING
    )
    decline_reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "id"], name="volunteer_status_id_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class DutyKind(models.TextChoices):
    SHIFT = "shift", _("checkpoint shift")
    COMMUNITY = "community", _("community duty")


class Duty(models.Model):
    """One duty people are put on: a checkpoint's shift (the checkpoints app's), with the number
    of people it needs, or a community duty (a gate, door-to-door deliveries) of its own."""

    kind = models.CharField(_("kind"), max_length=10, choices=DutyKind.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("village or community")
    )
    shift = models.OneToOneField(
        Shift,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duty",
        verbose_name=_("shift"),
    )
    title = models.CharField(pgettext_lazy("duty roster", "duty"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    needed = models.PositiveSmallIntegerField(_("people needed"), default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("duty roster", "duty")
        verbose_name_plural = _("duties")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["area", "starts_at"], name="duty_area_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="duty_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(needed__gte=1), name="duty_needs_someone"),
            models.CheckConstraint(
                condition=Q(kind="shift", shift__isnull=False)
                | Q(kind="community", shift__isnull=True),
                name="duty_shift_iff_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PersonKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("volunteer")
    CADRE = "cadre", _("cadre")
    PARTY_MEMBER = "party_member", _("party member")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    CONFIRMED = "confirmed", pgettext_lazy("duty roster", "confirmed")
    WORKED = "worked", _("worked")
    ABSENT = "absent", _("absent")


class DutyAssignment(models.Model):
    """One person on one duty. ``person_key`` names the person across the three kinds (a party
    member who is a cadre is that cadre), so that one person is never on two duties whose times
    overlap: the service checks it, and on PostgreSQL an exclusion constraint holds it under
    concurrency too (migration 0002). The duty's times are copied here for that constraint."""

    duty = models.ForeignKey(
        Duty,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=pgettext_lazy("duty roster", "duty"),
    )
    person_kind = models.CharField(_("kind"), max_length=12, choices=PersonKind.choices)
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        BranchMember, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    person_key = models.CharField(max_length=24, editable=False)
    name = models.CharField(_("name"), max_length=50)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    worked_minutes = models.PositiveIntegerField(_("minutes worked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        ordering = ["duty", "id"]
        indexes = [
            models.Index(fields=["person_key", "starts_at"], name="assignment_person_idx"),
            models.Index(fields=["starts_at"], name="assignment_start_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["duty", "person_key"], name="assignment_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="assignment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(person_kind="volunteer", volunteer__isnull=False)
                | Q(person_kind="cadre", cadre__isnull=False)
                | Q(person_kind="party_member", member__isnull=False),
                name="assignment_has_its_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.duty}"

    @property
    def hours(self) -> float:
        return round((self.worked_minutes or 0) / 60, 1)
