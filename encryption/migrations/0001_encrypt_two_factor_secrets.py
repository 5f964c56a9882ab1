from django.db import migrations


def encrypt_secrets(apps, schema_editor):
    from encryption.keys import encrypt_text, is_token
    from encryption.mfa import map_secrets

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.iterator():
        data = map_secrets(
            authenticator.data, lambda value: value if is_token(value) else encrypt_text(value)
        )
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def decrypt_secrets(apps, schema_editor):
    from encryption.keys import decrypt_text, is_token
    from encryption.mfa import map_secrets

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.iterator():
        data = map_secrets(
            authenticator.data, lambda value: decrypt_text(value) if is_token(value) else value
        )
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
