"""What the appointment model answers about itself."""

from appointments.models import AppointmentStatus, Mode
from appointments.tests.factories import AppointmentFactory, at

S = AppointmentStatus


def test_video_link_opens_shortly_before_a_confirmed_online_visit(doctor, settings):
    settings.MEDCONNECT_VIDEO_OPENS_MINUTES = 15
    appointment = AppointmentFactory(doctor=doctor, mode=Mode.ONLINE, start=at(1, 10))
    assert not appointment.is_video_open(at(1, 9, 44))
    assert appointment.is_video_open(at(1, 9, 45))
    assert appointment.is_video_open(at(1, 10, 29))
    assert not appointment.is_video_open(at(1, 10, 30))
    appointment.status = S.PENDING
    assert not appointment.is_video_open(at(1, 10))
    in_person = AppointmentFactory(doctor=doctor, start=at(1, 12))
    assert in_person.video_url == "" and not in_person.is_video_open(at(1, 12))
