"""FHIR R4 read endpoints. Authentication, throttling and access are the REST API's
(allauth session token or session cookie; the domain access helpers decide, a
denial is a 404); answers are FHIR JSON, errors an OperationOutcome."""

import datetime as dt
import json

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User
from appointments.access import appointments_visible_to, get_appointment_for_user
from appointments.models import ACTIVE_STATUSES, Appointment
from availability.selectors import free_slots
from doctors.models import DoctorProfile
from inputs import dates
from network.access import get_referral_for_user
from network.selectors import shared_items
from patients import access as patient_access
from prescriptions.models import Prescription, PrescriptionItem
from records import access as record_access
from records.models import Allergy, Condition

from . import mapping

DEFAULT_SLOT_DAYS = 14
MAX_SLOT_DAYS = 31
DEFAULT_COUNT = 50
MAX_COUNT = 100
ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 429: "throttled"}
FHIR_STATUS_TO_DOMAIN = {}
for _domain, _fhir in mapping.APPOINTMENT_STATUS.items():
    FHIR_STATUS_TO_DOMAIN.setdefault(_fhir, []).append(_domain)


class FHIRRenderer(BaseRenderer):
    media_type = mapping.CONTENT_TYPE
    format = "fhir"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False).encode()


class FhirView(APIView):
    renderer_classes = [FHIRRenderer, JSONRenderer]
    schema = None  # described by its CapabilityStatement, not the REST API's OpenAPI

    @classmethod
    def as_view(cls, **initkwargs):
        # DRF authenticates and answers 401 itself; no redirect to the login page.
        return login_not_required(super().as_view(**initkwargs))

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = ISSUE_CODES.get(response.status_code, "processing")
        response.data = mapping.as_json(mapping.operation_outcome(code=code, diagnostics=detail))
        return response

    def base_url(self):
        return self.request.build_absolute_uri(reverse("fhir:metadata")).rsplit("metadata", 1)[0]

    def resource(self, resource):
        return Response(mapping.as_json(resource), content_type=mapping.CONTENT_TYPE)

    def searchset(self, resources, **kwargs):
        return self.resource(mapping.bundle(resources, base_url=self.base_url(), **kwargs))

    def paged(self, queryset):
        """(rows of one page, total, Bundle links) from _count and _page."""
        try:
            count = min(int(self.request.query_params.get("_count", DEFAULT_COUNT)), MAX_COUNT)
            page = int(self.request.query_params.get("_page", 1))
        except ValueError as exc:
            raise ValidationError(_("_count and _page must be whole numbers.")) from exc
        if count < 1 or page < 1:
            raise ValidationError(_("_count and _page must be at least 1."))
        total = queryset.count()
        # A page past the last is empty; its offset never reaches the database, where
        # a number beyond 64 bits would overflow.
        offset = (page - 1) * count
        rows = list(queryset[offset : offset + count]) if offset < total else []
        links = [("self", self.request.build_absolute_uri())]
        if page * count < total:
            params = self.request.query_params.copy()
            params["_page"] = str(page + 1)
            params["_count"] = str(count)
            links.append(
                (
                    "next",
                    f"{self.request.build_absolute_uri(self.request.path)}?{params.urlencode()}",
                )
            )
        return rows, total, links


def _reference_id(value, kind):
    """The id in `Kind/<id>` or a bare `<id>`; None when it is not a whole number."""
    value = (value or "").strip()
    if value.startswith(f"{kind}/"):
        value = value[len(kind) + 1 :]
    return int(value) if value.isdigit() and len(value) < 19 else None


def _parse_instant(raw, *, upper):
    """A FHIR date or dateTime as an aware datetime; a date means its whole day."""
    try:
        instant = dates.parse_instant(raw) if "T" in raw else None
        day = dates.parse_date(raw) if instant is None and len(raw) == 10 else None
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages)) from exc
    if instant is not None:
        return instant
    if day is None:
        raise ValidationError(_("%(value)r is not a FHIR date or dateTime.") % {"value": raw})
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start + dt.timedelta(days=1) if upper else start


def _date_bounds(values):
    """(lower, upper) bounds from repeated date parameters with ge/gt/le/lt/eq prefixes."""
    lower = upper = None
    for value in values:
        prefix, raw = (
            (value[:2], value[2:]) if value[:2] in ("ge", "gt", "le", "lt", "eq") else ("eq", value)
        )
        try:
            if prefix in ("ge", "gt"):
                lower = _parse_instant(raw, upper=prefix == "gt")
            elif prefix in ("le", "lt"):
                upper = _parse_instant(raw, upper=prefix == "le")
            else:
                lower, upper = _parse_instant(raw, upper=False), _parse_instant(raw, upper=True)
        except (ValueError, OverflowError) as exc:
            raise ValidationError(_("%(value)r is not a valid date.") % {"value": value}) from exc
    return lower, upper


# --------------------------------------------------------------------------- public


class MetadataView(FhirView):
    permission_classes = [AllowAny]

    def get(self, request):
        statement = mapping.capability_statement(
            base_url=self.base_url(),
            software_version="1.0.0",
            date=timezone.now().date().isoformat(),
        )
        return self.resource(statement)


def _verified_doctors():
    return DoctorProfile.objects.verified().select_related("user")


class PractitionerView(FhirView):
    """Verified doctors only; anyone else is not found."""

    permission_classes = [AllowAny]

    def get(self, request, pk):
        doctor = _verified_doctors().filter(pk=pk).first()
        if doctor is None:
            raise NotFound(_("Practitioner/%(pk)s is not known.") % {"pk": pk})
        return self.resource(mapping.practitioner(doctor))


class ScheduleReadView(FhirView):
    permission_classes = [AllowAny]

    def get(self, request, pk):
        doctor = _verified_doctors().prefetch_related("specializations").filter(pk=pk).first()
        if doctor is None:
            raise NotFound(_("Schedule/%(pk)s is not known.") % {"pk": pk})
        return self.resource(mapping.schedule(doctor))


class ScheduleSearchView(FhirView):
    """One Schedule per verified doctor, searchable by actor=Practitioner/<id>."""

    permission_classes = [AllowAny]

    def get(self, request):
        doctors = _verified_doctors().order_by("pk")
        if "actor" in request.query_params:
            doctor_id = _reference_id(request.query_params["actor"], "Practitioner")
            doctors = doctors.filter(pk=doctor_id) if doctor_id else doctors.none()
        rows, total, links = self.paged(doctors)
        prefetch_related_objects(rows, "specializations")
        return self.searchset([mapping.schedule(d) for d in rows], total=total, links=links)


class SlotSearchView(FhirView):
    """Free slots (from the slot engine) and busy ones (active appointments) of one
    schedule. A slot is busy exactly when an active appointment covers it."""

    permission_classes = [AllowAny]

    def get(self, request):
        params = request.query_params
        if "schedule" in params:
            doctor_id = _reference_id(params["schedule"], "Schedule")
        elif "practitioner" in params:
            doctor_id = _reference_id(params["practitioner"], "Practitioner")
        else:
            raise ValidationError(_("Search slots of one schedule: ?schedule=Schedule/<id>."))
        status = params.get("status", "")
        if status not in ("", "free", "busy"):
            raise ValidationError(_("status is free or busy."))
        lower, upper = _date_bounds(params.getlist("start"))
        lower = lower or timezone.now()
        upper = upper or lower + dt.timedelta(days=DEFAULT_SLOT_DAYS)
        if upper <= lower:
            return self.searchset([])
        if upper - lower > dt.timedelta(days=MAX_SLOT_DAYS):
            raise ValidationError(
                _("Ask for at most %(days)s days of slots at a time.") % {"days": MAX_SLOT_DAYS}
            )
        doctor = _verified_doctors().filter(pk=doctor_id).first() if doctor_id else None
        if doctor is None:
            return self.searchset([])
        slots = []
        if status in ("", "free"):
            slots += self._free(doctor, lower, upper)
        if status in ("", "busy"):
            slots += self._busy(doctor, lower, upper)
        slots.sort(key=lambda resource: (resource.start, resource.id))
        return self.searchset(slots)

    def _free(self, doctor, lower, upper):
        tz = doctor.tz
        found = []
        for visit_type in doctor.visit_types.for_patients().order_by("pk"):
            for free in free_slots(
                doctor=doctor,
                visit_type=visit_type,
                start_date=lower.astimezone(tz).date(),
                end_date=upper.astimezone(tz).date(),
            ):
                if lower <= free.start < upper:
                    found.append(
                        mapping.slot(
                            doctor=doctor,
                            start=free.start,
                            end=free.end,
                            busy=False,
                            visit_type_name=visit_type.name,
                            visit_type_id=visit_type.pk,
                            modes=free.modes,
                        )
                    )
        return found

    def _busy(self, doctor, lower, upper):
        appointments = Appointment.objects.filter(
            doctor=doctor, status__in=ACTIVE_STATUSES, start__lt=upper, end__gt=lower
        ).select_related("visit_type")
        return [
            mapping.slot(
                doctor=doctor,
                start=appt.start,
                end=appt.end,
                busy=True,
                visit_type_name=appt.visit_type.name,
                visit_type_id=appt.visit_type_id,
            )
            for appt in appointments.order_by("start")
        ]


# --------------------------------------------------------------------------- signed in


class AppointmentReadView(FhirView):
    def get(self, request, pk):
        appt = get_appointment_for_user(request, pk)
        return self.resource(mapping.appointment(appt, viewer=request.user))


class ReferralResourceView(FhirView):
    """A referral as ServiceRequest, Task or Consent: its patient, referring doctor and
    specialist only (the same rule as the referral page); everyone else a 404."""

    kind = None

    def get(self, request, pk):
        referral = get_referral_for_user(request, pk)
        items = shared_items(referral)
        if self.kind == "ServiceRequest":
            return self.resource(mapping.service_request(referral, items))
        if self.kind == "Task":
            return self.resource(mapping.task(referral))
        return self.resource(mapping.consent(referral, items, active=referral.grant_is_active()))


class AppointmentSearchView(FhirView):
    """The caller's own appointments (as the appointments pages list them)."""

    def get(self, request):
        appointments = appointments_visible_to(request.user).for_list().order_by("start", "pk")
        lower, upper = _date_bounds(request.query_params.getlist("date"))
        if lower:
            appointments = appointments.filter(start__gte=lower)
        if upper:
            appointments = appointments.filter(start__lt=upper)
        if "status" in request.query_params:
            wanted = request.query_params["status"]
            appointments = appointments.filter(status__in=FHIR_STATUS_TO_DOMAIN.get(wanted, []))
        rows, total, links = self.paged(appointments)
        return self.searchset(
            [mapping.appointment(a, viewer=request.user) for a in rows], total=total, links=links
        )


def _patient_for(request, pk, part):
    """The patient and whether the caller sees demographics only (staff); opening
    `part` of someone else's record is audited."""
    user = request.user
    if user.role == Role.STAFF:
        patient = (
            User.objects.filter(pk=pk, role=Role.PATIENT).select_related("patient_profile").first()
        )
        if patient is None:
            raise NotFound(_("Not found."))
        patient_access.audit_access(request, patient=patient, object_type="fhir.patient")
        return patient, True
    return patient_access.get_patient_for_user(request, pk, part=part), False


class PatientReadView(FhirView):
    def get(self, request, pk):
        patient, _ = _patient_for(request, pk, "fhir.patient")
        return self.resource(mapping.patient(patient, getattr(patient, "patient_profile", None)))


class PatientEverythingView(FhirView):
    """Patient/<id>/$everything: what the caller may see of the patient's record."""

    def get(self, request, pk):
        patient, demographics_only = _patient_for(request, pk, "fhir.everything")
        profile = getattr(patient, "patient_profile", None)
        resources = [mapping.patient(patient, profile)]
        if demographics_only:
            return self.searchset(resources)
        viewer = request.user

        appointments = list(
            Appointment.objects.filter(patient=patient)
            .select_related("doctor__user", "patient", "visit_type")
            .order_by("start", "pk")
        )
        records = list(
            record_access.visible_records(viewer, patient)
            .select_related("doctor__user", "appointment")
            .order_by("created_at", "pk")
        )
        prescriptions = {
            p.pk: p
            for p in Prescription.objects.for_patient(patient).select_related("doctor__user")
        }
        items = PrescriptionItem.objects.filter(prescription__patient=patient).order_by(
            "prescription_id", "position"
        )
        documents = (
            record_access.visible_documents(viewer, patient)
            .select_related("uploaded_by__doctor_profile__user")
            .order_by("document_date", "pk")
        )
        doctors = {a.doctor.pk: a.doctor for a in appointments}
        doctors.update({r.doctor.pk: r.doctor for r in records})
        doctors.update({p.doctor.pk: p.doctor for p in prescriptions.values()})

        resources += [mapping.practitioner(d) for _, d in sorted(doctors.items())]
        resources += [mapping.appointment(a, viewer=viewer) for a in appointments]
        resources += [mapping.encounter(r) for r in records]
        resources += [mapping.encounter_diagnosis(r) for r in records if r.diagnosis.strip()]
        resources += [mapping.condition(c) for c in Condition.objects.filter(patient=patient)]
        resources += [mapping.allergy(a) for a in Allergy.objects.filter(patient=patient)]
        resources += [
            mapping.medication_request(i, prescriptions[i.prescription_id]) for i in items
        ]
        resources += [
            mapping.document_reference(
                d,
                download_url=request.build_absolute_uri(
                    reverse("api:document_download", args=[d.pk])
                ),
            )
            for d in documents
        ]
        return self.searchset(resources)
