"""TOTP secrets and recovery seeds are stored encrypted, under the clinical keys."""

import importlib
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command

from accounts.tests.factories import UserFactory
from encryption.tests.keys import TEST_ENCRYPTION_KEY

SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


def stored(authenticator):
    return Authenticator.objects.values_list("data", flat=True).get(pk=authenticator.pk)


@pytest.mark.django_db
def test_an_enrolled_secret_is_not_in_the_database_but_still_checks_codes():
    user = UserFactory()
    totp = TOTP.activate(user, SECRET)

    data = stored(totp.instance)
    assert SECRET not in str(data)
    assert Fernet(TEST_ENCRYPTION_KEY).decrypt(data["secret"].encode()).decode() == SECRET
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    code = f"{hotp_value(SECRET, next(yield_hotp_counters_from_time())):06d}"
    assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(code)


@pytest.mark.django_db
def test_recovery_codes_seed_is_encrypted_and_codes_still_work():
    user = UserFactory()
    codes = RecoveryCodes.activate(user)
    plain = codes.generate_codes()

    data = stored(codes.instance)
    assert data["seed"].startswith("gAAAAA")
    fresh = RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk))
    assert fresh.validate_code(plain[0])


@pytest.mark.django_db
def test_rotation_re_encrypts_two_factor_secrets_under_the_newest_key(settings):
    user = UserFactory()
    totp = TOTP.activate(user, SECRET)
    new_key = Fernet.generate_key().decode()
    settings.MEDCONNECT_ENCRYPTION_KEYS = [new_key, TEST_ENCRYPTION_KEY]

    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)

    assert "two-factor secrets: 1 value(s), re-encrypted 1" in out.getvalue()
    token = stored(totp.instance)["secret"]
    assert Fernet(new_key).decrypt(token.encode()).decode() == SECRET
    settings.MEDCONNECT_ENCRYPTION_KEYS = [new_key]
    assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).instance.data["secret"] == token


@pytest.mark.django_db
def test_the_migration_encrypts_secrets_stored_in_clear_and_leaves_tokens_alone():
    migration = importlib.import_module("encryption.migrations.0001_encrypt_two_factor_secrets")
    user, other = UserFactory(), UserFactory()
    clear = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": SECRET}
    )
    already = TOTP.activate(other, SECRET).instance
    before = stored(already)

    migration.encrypt_secrets(apps, None)

    assert Fernet(TEST_ENCRYPTION_KEY).decrypt(stored(clear)["secret"].encode()).decode() == SECRET
    assert stored(already) == before
