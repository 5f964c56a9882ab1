import re

from django.db import migrations

TITLE = re.compile(r"^(?:dr\.?\s+)+", re.IGNORECASE)


def strip_titles(apps, schema_editor):
    # Names typed as "Dr. Kavya" showed as "Dr. Dr. Kavya": keep the name only.
    DoctorProfile = apps.get_model("doctors", "DoctorProfile")
    for profile in DoctorProfile.objects.select_related("user").filter(
        user__full_name__iregex=r"^dr\.?\s"
    ):
        user = profile.user
        name = TITLE.sub("", " ".join(user.full_name.split()))
        if name and name != user.full_name:
            user.full_name = name
            user.save(update_fields=["full_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("doctors", "0002_verification_history"),
        ("accounts", "0002_user_admin_only_staff_message"),
    ]

    operations = [migrations.RunPython(strip_titles, migrations.RunPython.noop)]
