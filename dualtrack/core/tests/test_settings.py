from __future__ import annotations

from django.core.checks import run_checks

import config.settings as project_settings


def test_passwords_are_hashed_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_chinese_is_the_default_language():
    assert project_settings.LANGUAGE_CODE == "zh-hans"


def test_deploy_checks_refuse_development_secrets(settings, db):
    settings.DEBUG = False
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert {"dualtrack.E001", "dualtrack.E002", "dualtrack.E003"} <= ids


def test_deploy_checks_pass_with_real_secrets(settings, db):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 60
    settings.FIELD_ENCRYPTION_KEY = "cmVhbC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy0hISE="
    settings.FIELD_LOOKUP_KEY = "cmVhbC1sb29rdXAta2V5LTMyLWJ5dGVzLWxvbmctISE="
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert not {i for i in ids if i.startswith("dualtrack.")}


REAL_LOOKUP_KEY = "cmVhbC1sb29rdXAta2V5LTMyLWJ5dGVzLWxvbmctISE="


def _deploy_check_ids(settings, *, field_key, lookup_key=REAL_LOOKUP_KEY):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 60
    settings.FIELD_ENCRYPTION_KEY = field_key
    settings.FIELD_LOOKUP_KEY = lookup_key
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_deploy_checks_refuse_a_16_byte_field_key(settings, db):
    sixteen = "MDEyMzQ1Njc4OWFiY2RlZg=="  # base64 of 16 bytes
    assert "dualtrack.E005" in _deploy_check_ids(settings, field_key=sixteen)


def test_deploy_checks_refuse_a_field_key_that_is_not_base64(settings, db):
    not_base64 = "this-is-not-base64-but-it-is-long-enough!!"
    assert "dualtrack.E005" in _deploy_check_ids(settings, field_key=not_base64)


def test_deploy_checks_refuse_a_malformed_lookup_key(settings, db):
    field_key = "cmVhbC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy0hISE="
    ids = _deploy_check_ids(settings, field_key=field_key, lookup_key="c2hvcnQ=")
    assert "dualtrack.E006" in ids
    assert "dualtrack.E005" not in ids
