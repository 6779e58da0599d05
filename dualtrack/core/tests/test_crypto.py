from __future__ import annotations

from dualtrack.core.crypto import decrypt, encrypt, lookup_digest
from dualtrack.core.masking import mask_id_number, mask_phone


def test_encryption_round_trips_and_is_randomised():
    assert decrypt(encrypt("13800138000")) == "13800138000"
    assert encrypt("13800138000") != encrypt("13800138000")


def test_digest_is_keyed_and_stable():
    assert lookup_digest("13800138000") == lookup_digest("13800138000")
    assert "13800138000" not in lookup_digest("13800138000")


def test_masks():
    assert mask_id_number("360124199001010071") == "3601**********0071"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("") == ""
