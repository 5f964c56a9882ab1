from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvailabilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "availability"
    verbose_name = _("Availability")

    def ready(self):
        from django.db.models.signals import post_save

        from appointments.signals import schedule_changed
        from doctors.models import DoctorProfile

        from . import receivers

        schedule_changed.connect(receivers.follow_schedule, dispatch_uid="availability.schedule")
        post_save.connect(
            receivers.follow_time_zone, sender=DoctorProfile, dispatch_uid="availability.zone"
        )
