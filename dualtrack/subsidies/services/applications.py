"""An enterprise's application on its portal for the clauses that need its own documents: the
rent subsidy (lease), the loan-interest subsidy (loan contract) and the towns' shop-rent relief.
Bad figures, a lease outside the period, a loan without a contract or a clause not in force are
refused with a message, and nothing is written."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.errors import PermissionDenied, ValidationFailed
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.subsidies.models import Claim, ClaimOrigin, ClaimStatus, ItemKind
from dualtrack.subsidies.services.claims import Item, claim_store

APPLIED_CLAUSES = ("rent", "loan", "shop")
MAX_DOCUMENT = 10 * 1024 * 1024
SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-")


def _document(file: UploadedFile[bytes] | None, *, required: bool) -> UploadedFile[bytes] | None:
    if file is None:
        if required:
            raise ValidationFailed.for_field("document", _("Attach the document."), code="document")
        return None
    if file.size is None or file.size > MAX_DOCUMENT:
        raise ValidationFailed.for_field("document", _("The document may be 10 MB at most."))
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES):
        raise ValidationFailed.for_field(
            "document", _("Attach a PDF, JPEG or PNG file."), code="document_type"
        )
    return file


def application_submit(
    *,
    actor: User,
    clause: str,
    data: dict[str, Any],
    document: UploadedFile[bytes] | None = None,
    on: datetime.date | None = None,
) -> Claim:
    """The enterprise login's application under ``clause`` with its figures and document."""
    enterprise = enterprise_of_user(actor)
    if enterprise is None:
        raise PermissionDenied(_("Only an enterprise's own login applies for it."))
    if clause not in APPLIED_CLAUSES:
        raise ValidationFailed.for_field(
            "clause", _("This clause is offered without an application."), code="proactive"
        )
    on = on or timezone.localdate()
    doc = _document(document, required=clause in ("rent", "loan"))
    inputs = {k: v for k, v in data.items() if v is not None}
    inputs["town_code"] = enterprise.area.code
    if clause == "loan":
        contract = "".join(str(inputs.get("contract_no", "")).split()).upper()
        inputs["contract_no"] = contract
        items = [Item(0, ItemKind.LOAN, contract)] if contract else []
    elif clause == "rent":
        items = [Item(0, ItemKind.LEASE, f"{enterprise.pk}:{inputs.get('start')}")]
    else:
        items = [Item(0, ItemKind.SHOP, f"{enterprise.pk}:{inputs.get('start', on)}")]
    with transaction.atomic():
        claim, _result = claim_store(
            actor=actor,
            clause=clause,
            origin=ClaimOrigin.APPLICATION,
            enterprise=enterprise,
            introducer_id=None,
            payee_name=enterprise.name,
            inputs=inputs,
            items=items,
            on=on,
            status=ClaimStatus.SUBMITTED,
            document=doc,
        )
    assert claim is not None  # an application is stored whatever its amount
    return claim
