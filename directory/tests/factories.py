from django.urls import reverse


def doctor_page_url(doctor):
    """The public page of a doctor."""
    return reverse("directory:doctor", args=[doctor.pk])
