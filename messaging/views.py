"""Pages of messages: the inbox, a thread (paged, with new messages polled by htmx),
starting a thread, posting, retracting, closing and downloading attachments."""

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from audit.models import AuditAction
from patients.access import deny, get_patient_for_user, verified_doctor
from records.selectors import DocumentIntegrityError

from . import access, selectors, services
from .downloads import attachment_download_response
from .forms import MessageForm, NewColleagueThreadForm, NewThreadForm


def _messages_user(request):
    """Only patients and verified doctors have messages; everyone else gets a 404."""
    if not access.can_use_messages(request.user):
        raise Http404("No such page.")
    return request.user


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_GET
def inbox(request):
    user = _messages_user(request)
    page = Paginator(selectors.inbox(user), selectors.INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for thread in page:
        thread.other = access.other_participant(thread, user)
    return render(
        request,
        "messaging/inbox.html",
        {"page": page, "is_doctor": user.role == Role.DOCTOR},
    )


def _thread_context(request, thread, form):
    user = request.user
    page = selectors.thread_page(thread, request.GET.get("page"))
    other = access.other_participant(thread, user)
    selectors.mark_receipts(page.object_list, viewer=user, other=other)
    is_newest_page = not page.has_next()
    last_id = page.object_list[-1].pk if page.object_list else 0
    return {
        "thread": thread,
        "other": other,
        "page": page,
        "form": form,
        "is_newest_page": is_newest_page,
        "last_id": last_id,
        "post_refusal": access.thread_refusal(user, thread, access.POST),
        "can_close": access.thread_refusal(user, thread, access.CLOSE) is None,
    }


@require_http_methods(["GET", "POST"])
def thread_detail(request, thread_id):
    """Read a thread (its newest page by default) and post into it."""
    audit = AuditAction.VIEW if request.method == "GET" else None
    thread = access.get_thread_for_user(request, thread_id, audit=audit)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(
                thread=thread,
                sender=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            flash.success(request, _("Message sent."))
            return redirect("messaging:thread", thread_id=thread.pk)
    context = _thread_context(request, thread, form)
    if context["is_newest_page"]:
        services.thread_mark_read(thread=thread, user=request.user)
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/thread.html", context, status=status)


@require_GET
def thread_poll(request, thread_id):
    """New messages after ?after=<id>, for htmx to append without a reload."""
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        return HttpResponseBadRequest(_("after must be a message id."))
    if not 0 <= after < 2**63:
        return HttpResponseBadRequest(_("after must be a message id."))
    thread = access.get_thread_for_user(request, thread_id, audit=None)
    new = list(selectors.messages_after(thread, after))
    if new:
        services.thread_mark_read(thread=thread, user=request.user)
    other = access.other_participant(thread, request.user)
    if other is not None:
        other.refresh_from_db(fields=["last_read_message_id", "last_read_at"])
    selectors.mark_receipts(new, viewer=request.user, other=other)
    context = {
        "thread": thread,
        "other": other,
        "new_messages": new,
        "last_id": new[-1].pk if new else after,
        "is_newest_page": True,
    }
    return render(request, "messaging/_poll.html", context)


@require_POST
def thread_close(request, thread_id):
    thread = access.get_thread_for_user(request, thread_id, audit=None)
    try:
        services.thread_close(thread=thread, actor=request.user, request=request)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("The conversation is closed. It stays readable."))
    return redirect("messaging:thread", thread_id=thread.pk)


@require_POST
def message_retract(request, message_id):
    message = access.get_message_for_user(request, message_id)
    try:
        services.message_retract(message=message, actor=request.user, request=request)
    except PermissionDenied:
        deny(request, object_type="messaging.message", object_id=message_id)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("The message is retracted."))
    return redirect("messaging:thread", thread_id=message.thread_id)


@require_GET
def attachment_download(request, attachment_id):
    attachment = access.get_attachment_for_user(request, attachment_id)
    try:
        return attachment_download_response(request, attachment)
    except DocumentIntegrityError:
        return render(
            request, "messaging/attachment_unavailable.html", {"attachment": attachment}, status=409
        )


@require_GET
def referral_thread(request, referral_id):
    """The one thread of a referral, for its two doctors (made on first use)."""
    referral = access.get_referral_for_its_doctor(request, referral_id)
    thread = services.thread_for_referral(referral=referral)
    return redirect("messaging:thread", thread_id=thread.pk)


# ---------------------------------------------------------------------------
# Starting a thread


def _start(request, form, start, context):
    """Validate the form, run `start(cleaned_data)`, go to the new thread."""
    if request.method == "POST" and form.is_valid():
        try:
            thread = start(form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            flash.success(request, _("Message sent."))
            return redirect("messaging:thread", thread_id=thread.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/new_thread.html", {"form": form, **context}, status=status)


@require_http_methods(["GET", "POST"])
def thread_new_colleague(request):
    """A doctor writes to a colleague they are connected with."""
    user = _messages_user(request)
    doctor = verified_doctor(user)
    if doctor is None:
        raise Http404("No such page.")
    colleagues = selectors.connected_doctors(doctor)
    initial = {"doctor": request.GET.get("doctor")}
    form = NewColleagueThreadForm(
        request.POST or None, request.FILES or None, colleagues=colleagues, initial=initial
    )

    def start(data):
        return services.thread_start_direct(
            sender=user,
            doctor=data["doctor"],
            subject=data["subject"],
            body=data["body"],
            files=data["attachments"],
            request=request,
        )

    context = {"heading": _("Write to a colleague"), "colleagues": colleagues}
    return _start(request, form, start, context)


@require_http_methods(["GET", "POST"])
def thread_new_from_appointment(request, appointment_id):
    """A patient writes to the doctor of one of their appointments."""
    user = _messages_user(request)
    appointment = None
    if user.role == Role.PATIENT:
        appointment = selectors.appointment_for_patient_thread(
            patient=user, appointment_id=appointment_id
        )
    if appointment is None:
        deny(request, object_type="appointments.appointment", object_id=appointment_id)
    form = NewThreadForm(request.POST or None, request.FILES or None)

    def start(data):
        return services.thread_start_with_patient(
            starter=user,
            patient=user,
            doctor=appointment.doctor,
            appointment=appointment,
            subject=data["subject"],
            body=data["body"],
            files=data["attachments"],
            request=request,
        )

    heading = _("Write to %(name)s") % {"name": appointment.doctor.user.display_name}
    return _start(request, form, start, {"heading": heading, "appointment": appointment})


@require_http_methods(["GET", "POST"])
def thread_new_for_patient(request, patient_id):
    """A treating doctor writes to their patient from the patient's record."""
    user = _messages_user(request)
    doctor = verified_doctor(user)
    if doctor is None:
        raise Http404("No such page.")
    patient = get_patient_for_user(request, patient_id, audit=None)
    form = NewThreadForm(request.POST or None, request.FILES or None)

    def start(data):
        return services.thread_start_with_patient(
            starter=user,
            patient=patient,
            doctor=doctor,
            subject=data["subject"],
            body=data["body"],
            files=data["attachments"],
            request=request,
        )

    heading = _("Write to %(name)s") % {"name": patient.display_name}
    return _start(request, form, start, {"heading": heading, "patient": patient})
