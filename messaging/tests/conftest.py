import pytest

from .factories import direct_thread, patient_thread


@pytest.fixture
def colleague_thread(doctor, other_doctor, django_capture_on_commit_callbacks):
    """`doctor` wrote to `other_doctor` (connected) with one message; notices sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return direct_thread(doctor, other_doctor)


@pytest.fixture
def asha_thread(patient_a, doctor, django_capture_on_commit_callbacks):
    """Patient A wrote to `doctor` from a completed visit; notices sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return patient_thread(patient_a, doctor)
