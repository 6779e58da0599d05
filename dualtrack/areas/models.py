from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.regions import code_prefix
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("district")
    TOWN = "town", _("town / sub-district office")
    VILLAGE = "village", _("village")
    COMMUNITY = "community", _("community")
    GROUP = "group", _("group")


# The kinds a child may have, by the parent's kind; and how many characters each level adds to
# the parent's code. Fixed widths make a code prefix select exactly one subtree.
CHILD_KINDS: dict[str, tuple[str, ...]] = {
    AreaKind.DISTRICT: (AreaKind.TOWN,),
    AreaKind.TOWN: (AreaKind.VILLAGE, AreaKind.COMMUNITY),
    AreaKind.VILLAGE: (AreaKind.GROUP,),
    AreaKind.COMMUNITY: (AreaKind.GROUP,),
    AreaKind.GROUP: (),
}
CODE_WIDTH: dict[str, int] = {
    AreaKind.TOWN: 2,
    AreaKind.VILLAGE: 3,
    AreaKind.COMMUNITY: 3,
    AreaKind.GROUP: 2,
}
# Areas where households are registered: groups, and villages/communities without groups.
HOUSEHOLD_AREA_KINDS = (AreaKind.VILLAGE, AreaKind.COMMUNITY, AreaKind.GROUP)
VILLAGE_KINDS = (AreaKind.VILLAGE, AreaKind.COMMUNITY)


class Area(models.Model):
    """A node of the district tree: the zone, a town, a village or community, a group.

    ``code`` is dualtrack's own hierarchical code (the zone has no official one); the GB/T 2260
    (statistical division) code is kept separately in ``official_code`` where one exists.
    """

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=32, unique=True)
    official_code = models.CharField(_("GB/T 2260 code"), max_length=12, blank=True, default="")
    name = models.CharField(_("name"), max_length=100)
    # The area's outline as a GeoJSON geometry (a Polygon in longitude/latitude), for the wall
    # screen's map; none where nobody has drawn it (the demo draws its own district).
    geometry = models.JSONField(_("outline"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=AreaKind.DISTRICT) & Q(parent__isnull=True))
                | (~Q(kind=AreaKind.DISTRICT) & Q(parent__isnull=False)),
                name="area_root_is_district",
            ),
            models.UniqueConstraint(
                fields=["official_code"],
                condition=~Q(official_code=""),
                name="area_official_code_unique",
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="area_name_unique_in_parent"),
            models.CheckConstraint(
                condition=Q(official_code="")
                | Q(official_code__regex=r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$"),
                name="area_official_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def subtree_q(self, prefix: str = "") -> Q:
        """Q selecting this area and everything under it (``prefix`` for a related path)."""
        return Q(**{f"{prefix}code__startswith": self.code})


class Household(models.Model):
    """A household (户) registered in a group, or in a village/community without groups."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="households", verbose_name=_("area")
    )
    number = models.CharField(_("household number"), max_length=32)
    address = models.CharField(_("address"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="household_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.address}"


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    OTHER = "other", _("other")


class ResidenceKind(models.TextChoices):
    REGISTERED = "registered", _("registered")
    RESIDENT = "resident", _("long-term resident")
    TEMPORARY = "temporary", _("temporary")


class Resident(models.Model):
    """A person (人) in a household. ID number and phone are encrypted at rest.

    ``area`` repeats the household's area so that scoped lists filter one indexed column.
    """

    AUDIT_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="residents", verbose_name=_("household")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    id_number = EncryptedTextField(_("ID number"))
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    relation = models.CharField(
        _("relation to head"), max_length=16, choices=Relation.choices, default=Relation.OTHER
    )
    residence = models.CharField(
        _("residence"),
        max_length=16,
        choices=ResidenceKind.choices,
        default=ResidenceKind.REGISTERED,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["area", "id"], name="resident_area_id_idx"),
            models.Index(fields=["phone_digest"], name="resident_phone_digest_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class AreaFigure(models.Model):
    """How many households and residents are registered in one area itself (not its subtree).

    Kept exact by the database: triggers on the household and resident tables (migration
    0008_area_figures) count every insert, delete and move between areas, whatever wrote it — a
    service, a bulk import, the demo's seeder, a COPY or raw SQL. Nothing in Python writes it.
    """

    area = models.OneToOneField(
        Area, on_delete=models.CASCADE, primary_key=True, related_name="figure"
    )
    households = models.IntegerField(default=0)
    empty_households = models.IntegerField(default=0)  # households without a resident
    residents = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.area_id}: {self.households} / {self.residents}"


class OrgUnitKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("leading group")
    COMMAND_HQ = "command_hq", _("command HQ")
    WORKING_GROUP = "working_group", _("working group")
    TOWN_COMMAND = "town_command", _("town command")


class Duty(models.TextChoices):
    """What a working group is answerable for; it adds permissions to its staff's grants."""

    COORDINATION = "coordination", _("coordination")
    PREVENTION = "prevention", _("epidemic prevention")
    MEDICAL = "medical", _("medical treatment")
    SUPPLIES = "supplies", _("supplies")
    ENTERPRISE_SERVICES = "enterprise_services", _("enterprise services")
    POLICY = "policy", _("policy delivery")
    INVESTMENT = "investment", _("investment services")
    PUBLICITY = "publicity", _("publicity and public opinion")
    SUPERVISION = "supervision", _("supervision")


class OrgUnit(models.Model):
    """A unit of the command structure: the leading group, HQ, a working group, a town command."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrgUnitKind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("reports to"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="org_units", verbose_name=_("area")
    )
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    duty = models.CharField(_("duty"), max_length=24, choices=Duty.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class IndustrySector(models.Model):
    """A GB/T 4754-2017 section (门类), and the working group answerable for it."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=100)
    responsible_group = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sectors",
        limit_choices_to={"kind": OrgUnitKind.WORKING_GROUP},
        verbose_name=_("responsible working group"),
    )

    class Meta:
        verbose_name = _("industry sector")
        verbose_name_plural = _("industry sectors")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CadreOrigin(models.TextChoices):
    DISTRICT_ORGAN = "district_organ", _("sent down from a district organ")
    TOWN_VILLAGE = "town_village", _("town or village staff")


class Cadre(models.Model):
    """A cadre in the campaign: sent down from a district organ, or town and village staff."""

    AUDIT_MASKS = {"phone": mask_phone}

    name = models.CharField(_("name"), max_length=50)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    origin = models.CharField(_("origin"), max_length=16, choices=CadreOrigin.choices)
    unit = models.CharField(_("home unit"), max_length=100, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("organisation unit"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("posted to")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name=_("login"),
    )

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["id"]
        indexes = [models.Index(fields=["area", "id"], name="cadre_area_id_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class LiaisonAssignment(models.Model):
    """A liaison cadre (挂点干部) answerable for one village or community."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("cadre")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="liaisons",
        verbose_name=_("village / community"),
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        ordering = ["area", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "area"],
                condition=Q(until__isnull=True),
                name="liaison_active_unique",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="liaison_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.area}"


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("district administrator")
    COMMANDER = "commander", _("commander / HQ staff")
    WORKING_GROUP = "working_group", _("working-group staff")
    TOWN_OFFICER = "town_officer", _("town officer")
    VILLAGE_CADRE = "village_cadre", _("village / community cadre")
    CHECKPOINT_STAFF = "checkpoint_staff", _("checkpoint duty staff")
    VOLUNTEER = "volunteer", _("volunteer")
    SITE_STAFF = "site_staff", _("quarantine site staff")
    SERVICE_CLERK = "service_clerk", _("government services clerk")


class RoleGrant(models.Model):
    """One role for one user over one area and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("area")
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("working group"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area"], name="role_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"


# --- The risk-area list (HQ's, read by the checkpoints and the enterprises' rosters) ---------


class RiskLevel(models.TextChoices):
    HIGH = "high", _("high risk")
    MEDIUM = "medium", _("medium risk")


class RiskArea(models.Model):
    """A region of the country HQ lists as high or medium risk, for a period: arrivals from it
    raise an alert at the checkpoints and need quarantine before they work at an enterprise.

    ``region_code`` is a 6-digit GB/T 2260 code; trailing zero pairs widen it: 420000 is all of
    Hubei, 420100 all of Wuhan.
    """

    region_code = models.CharField(_("region code (GB/T 2260)"), max_length=6)
    region_name = models.CharField(_("region"), max_length=100)
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        ordering = ["region_code", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region_code__regex=r"^[0-9]{6}$"), name="risk_area_code_digits"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="risk_area_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_name} ({self.get_level_display()})"

    @property
    def prefix(self) -> str:
        """The significant digits of the code: 42 for 420000, 4201 for 420100."""
        return code_prefix(self.region_code)

    def is_current(self, on: datetime.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)
