"""The assistant's pages: the chat (a page, or a panel on larger screens), sending
a message (htmx, or a plain form post without script), and the patient's own
history, which they may delete."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.models import Role

from . import services
from .access import get_conversation_for_user
from .forms import MessageForm
from .ratelimit import allow_message
from .selectors import conversation_list, conversation_messages

RATE_LIMITED = gettext_lazy(
    "You are sending messages very quickly. Please wait a minute and try again."
)


def _exchanges(conversation):
    """(patient's message, assistant's reply) pairs of a stored conversation."""
    pairs, pending = [], None
    for message in conversation_messages(conversation=conversation):
        if message.reply is None:
            pending = message.text
        else:
            pairs.append((pending, message.reply))
            pending = None
    return pairs


def _chat_context(request, conversation=None, exchanges=None, form=None):
    if exchanges is None:
        exchanges = _exchanges(conversation) if conversation else []
    initial = {"conversation": conversation.pk} if conversation else {}
    return {
        "emergency_number": settings.MEDCONNECT_EMERGENCY_NUMBER,
        "form": form or MessageForm(initial=initial),
        "conversation": conversation,
        "exchanges": exchanges,
    }


def _requested_conversation(request, pk):
    if pk and request.user.is_authenticated and request.user.is_patient:
        return get_conversation_for_user(request, pk)
    return None


@login_not_required
@require_GET
def chat(request):
    pk = request.GET.get("conversation")
    conversation = _requested_conversation(request, int(pk) if pk and pk.isdigit() else None)
    return render(request, "assistant/chat.html", _chat_context(request, conversation))


@login_not_required
@require_GET
def panel(request):
    """The chat without the page around it, for the panel other pages open."""
    return render(request, "assistant/_chat.html", _chat_context(request))


def _refused(request, form, status, error):
    if request.htmx:
        return render(request, "assistant/_error.html", {"error": error}, status=status)
    context = _chat_context(request, form=form)
    context["error"] = error
    return render(request, "assistant/chat.html", context, status=status)


@sensitive_variables("text")
@sensitive_post_parameters("message")
@login_not_required
@require_POST
def send(request):
    form = MessageForm(request.POST)
    if not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
        return _refused(request, form, 400, error)
    if not allow_message(request):
        return _refused(request, form, 429, RATE_LIMITED)
    conversation = _requested_conversation(request, form.cleaned_data["conversation"])
    text = form.cleaned_data["message"]
    conversation, reply = services.conversation_reply(
        user=request.user, message=text, conversation=conversation, tz=form.cleaned_data["tz"]
    )
    if request.htmx:
        context = {"question": text, "reply": reply, "conversation": conversation}
        return render(request, "assistant/_exchange.html", context)
    if conversation is not None:
        return redirect(f"{reverse('assistant:chat')}?conversation={conversation.pk}")
    return render(request, "assistant/chat.html", _chat_context(request, exchanges=[(text, reply)]))


@role_required(Role.PATIENT)
@require_GET
def history(request):
    conversations = list(conversation_list(user=request.user))
    return render(request, "assistant/history.html", {"conversations": conversations})


@role_required(Role.PATIENT)
@require_GET
def conversation_detail(request, pk):
    conversation = get_conversation_for_user(request, pk)
    context = {"conversation": conversation, "exchanges": _exchanges(conversation)}
    return render(request, "assistant/conversation.html", context)


@role_required(Role.PATIENT)
@require_POST
def conversation_delete(request, pk):
    conversation = get_conversation_for_user(request, pk)
    services.conversation_delete(conversation=conversation)
    messages.success(request, _("The conversation was deleted."))
    return redirect("assistant:history")


@role_required(Role.PATIENT)
@require_POST
def history_delete_all(request):
    count = services.conversations_delete_all(patient=request.user)
    messages.success(
        request,
        ngettext("Deleted %(count)s conversation.", "Deleted %(count)s conversations.", count)
        % {"count": count},
    )
    return redirect("assistant:history")
