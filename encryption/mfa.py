"""Two-factor secrets at rest.

allauth keeps a TOTP secret (`data["secret"]`) and a recovery-code seed
(`data["seed"]`, older rows also `data["migrated_codes"]`) in the JSON of each
`Authenticator`. Its MFA adapter passes every one of them through `encrypt` and
`decrypt`; here they use the same MultiFernet keys as clinical text, so they are
rotated by `manage.py rotate_encryption_keys` and unreadable without the keys.
"""

from allauth.mfa.adapter import DefaultMFAAdapter

from .keys import decrypt_text, encrypt_text


class EncryptedMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text):
        return encrypt_text(text)

    def decrypt(self, encrypted_text):
        return decrypt_text(encrypted_text)


def map_secrets(data, change):
    """A copy of an authenticator's data with `change` applied to every secret in it."""
    data = dict(data or {})
    for key in ("secret", "seed"):
        if isinstance(data.get(key), str):
            data[key] = change(data[key])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data
