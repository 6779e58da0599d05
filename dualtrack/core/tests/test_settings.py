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
