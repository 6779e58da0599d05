"""The case line list (病例), its classification history, and the searches for possible contacts
(密接排查) in the checkpoints' registers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualtrack.areas.models import Area, Gender, Resident
from dualtrack.core.crypto import EncryptedTextField
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.health.models.quarantine import QuarantineOrder


class CaseClassification(models.TextChoices):
    SUSPECTED = "suspected", _("suspected")
    CONFIRMED = "confirmed", _("confirmed")
    ASYMPTOMATIC = "asymptomatic", _("asymptomatic infection")
    RULED_OUT = "ruled_out", _("ruled out")
    RECOVERED = "recovered", _("recovered")
    DIED = "died", _("died")


class CaseOrigin(models.TextChoices):
    IMPORTED = "imported", pgettext_lazy("case origin", "imported")
    LOCAL = "local", pgettext_lazy("case origin", "local")


class Case(models.Model):
    """One line of the line list (一览表)."""

    AUDIT_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    number = models.CharField(_("case number"), max_length=20, unique=True)
    classification = models.CharField(
        _("classification"), max_length=12, choices=CaseClassification.choices
    )
    # The area answerable for the case: the residence for a resident, else where found.
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    is_resident = models.BooleanField(_("resident of the district"), default=True)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    age = models.PositiveSmallIntegerField(_("age"))
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    id_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    onset_date = models.DateField(_("onset date"), null=True, blank=True)
    sampling_date = models.DateField(_("sampling date"), null=True, blank=True)
    report_date = models.DateField(_("report date"))
    isolation_date = models.DateField(_("isolation date"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=8, choices=CaseOrigin.choices)
    exposure_region_code = models.CharField(
        _("region of exposure (GB/T 2260)"), max_length=6, blank=True, default=""
    )
    exposure_region_name = models.CharField(
        _("region of exposure"), max_length=100, blank=True, default=""
    )
    quarantine_order = models.ForeignKey(
        QuarantineOrder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quarantine order"),
    )
    # The case this one was found as a contact of, when it was.
    infected_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact of case"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("epidemic", "case")
        verbose_name_plural = pgettext_lazy("epidemic", "cases")
        ordering = ["-report_date", "-id"]
        indexes = [
            models.Index(fields=["area", "report_date"], name="case_area_report_idx"),
            models.Index(fields=["onset_date"], name="case_onset_idx"),
            # The epidemic curve by report date, district-wide.
            models.Index(fields=["report_date"], name="case_report_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(onset_date__isnull=True) | Q(onset_date__lte=models.F("report_date")),
                name="case_onset_before_report",
            ),
            models.CheckConstraint(
                condition=Q(sampling_date__isnull=True)
                | Q(sampling_date__lte=models.F("report_date")),
                name="case_sampling_before_report",
            ),
            models.CheckConstraint(
                condition=Q(origin="local") | ~Q(exposure_region_code=""),
                name="case_imported_has_region",
            ),
            models.CheckConstraint(
                condition=Q(exposure_region_code="") | Q(exposure_region_code__regex=r"^[0-9]{6}$"),
                name="case_region_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class ClassificationChange(models.Model):
    """A case's classification history: every change, kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="classifications")
    classification = models.CharField(
        _("classification"), max_length=12, choices=CaseClassification.choices
    )
    previous = models.CharField(
        _("previous"), max_length=12, choices=CaseClassification.choices, blank=True, default=""
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")
        ordering = ["case", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} → {self.get_classification_display()}"


class ContactSearch(models.Model):
    """One search of the registers for a case's possible contacts: who ran it, why, with what
    window and tolerance, and how many it found (every search is kept and audited)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="searches")
    # A search for a contact's own contacts (contacts of contacts) is anchored on that contact:
    # the contact's identity is searched for instead of the case's.
    anchor_contact = models.ForeignKey(
        "Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="searches",
        verbose_name=_("contact searched for"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    window_from = models.DateTimeField(_("exposure window from"))
    window_to = models.DateTimeField(_("exposure window to"))
    tolerance_minutes = models.PositiveSmallIntegerField(_("tolerance (minutes)"))
    case_passages = models.PositiveIntegerField(_("passages of the case"), default=0)
    found = models.PositiveIntegerField(_("possible contacts found"), default=0)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    run_at = models.DateTimeField(_("run at"))

    class Meta:
        verbose_name = _("contact search")
        verbose_name_plural = _("contact searches")
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.run_at:%Y-%m-%d %H:%M}"


class ContactStatus(models.TextChoices):
    POSSIBLE = "possible", _("possible contact")
    CLOSE = "close", _("close contact")
    RULED_OUT = "ruled_out", pgettext_lazy("contact", "ruled out")


class Contact(models.Model):
    """A person whose passages coincided with a case's: one row per case and person (the ID
    number's digest, or the name at the gate when the register has none)."""

    AUDIT_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    search = models.ForeignKey(
        ContactSearch, on_delete=models.SET_NULL, null=True, related_name="contacts"
    )
    # Found as a contact of this contact (a contact of a contact), not of the case directly.
    via = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact of contact"),
    )
    # Who the contact is: "id:<digest>", else "phone:<digest>", else the name at the gate.
    person_key = models.CharField(max_length=80, editable=False)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    id_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    coincidences = models.PositiveIntegerField(_("coincidences"))
    closest_seconds = models.PositiveIntegerField(_("closest (seconds)"))
    score = models.FloatField(_("score"))
    last_coincidence_at = models.DateTimeField(_("last coincidence"))
    last_checkpoint_name = models.CharField(
        _("checkpoint of the last coincidence"), max_length=100, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.POSSIBLE
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    quarantine_order = models.ForeignKey(
        QuarantineOrder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quarantine order"),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["case", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person_key"], name="contact_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.name}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
