from cryptography.fernet import Fernet

from encryption.fields import EncryptedTextField, FernetToken, encrypted_fields
from encryption.tests.keys import TEST_ENCRYPTION_KEY


def test_the_column_holds_a_token_and_python_the_text():
    field = EncryptedTextField()

    stored = field.get_prep_value("Suspected tuberculosis")

    assert stored.startswith("gAAAA")  # a Fernet token
    assert Fernet(TEST_ENCRYPTION_KEY).decrypt(stored.encode()) == b"Suspected tuberculosis"
    assert field.from_db_value(stored, None, None) == "Suspected tuberculosis"


def test_empty_text_stays_empty():
    field = EncryptedTextField()

    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
    assert field.from_db_value("", None, None) == ""
    assert field.from_db_value(None, None, None) is None


def test_a_token_is_written_unchanged():
    token = Fernet(TEST_ENCRYPTION_KEY).encrypt(b"x").decode()

    assert EncryptedTextField().get_prep_value(FernetToken(token)) == token


def test_every_encrypted_field_of_every_installed_model_is_found():
    found = encrypted_fields()

    assert found
    assert all(isinstance(model._meta.get_field(name), EncryptedTextField) for model, name in found)
    assert len(set(found)) == len(found)
