from django.shortcuts import get_object_or_404

from .models import WaitlistEntry, WaitlistOffer


def get_entry_for_patient(user, pk):
    """The patient's own entry; 404 for everyone else."""
    return get_object_or_404(WaitlistEntry.objects.for_patient(user).for_list(), pk=pk)


def get_offer_for_patient(user, pk):
    """An offer made to this patient; 404 for everyone else."""
    return get_object_or_404(
        WaitlistOffer.objects.for_patient(user).select_related("entry__visit_type", "doctor__user"),
        pk=pk,
    )
