"""The assistant answers in the person's language: the emergency guidance first of all,
then its answers and the self-care entries, for typed Hinglish as well as English."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assistant import knowledge
from assistant.pipeline import respond
from assistant.redflags import red_flag

SEND = reverse("assistant:send")
MESSAGES = reverse("api:assistant_message")
HTMX = {"HTTP_HX_REQUEST": "true"}
EMERGENCY_HI = "यह आपातकाल हो सकता है। अभी 112 पर कॉल करें"


def _hindi_client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    return client


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Hindi request leaves Hindi active in this thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.django_db
def test_a_hindi_speaker_gets_the_emergency_guidance_in_hindi():
    # Hinglish words ("seene mein dard") still reach the red-flag check.
    response = _hindi_client().post(SEND, {"message": "mujhe seene mein dard hai"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert EMERGENCY_HI in page
    assert "112 पर कॉल करें" in page and 'href="tel:112"' in page
    assert "This may be an emergency" not in page


@pytest.mark.django_db
def test_the_api_answers_in_hindi_when_the_app_asks_for_it(api):
    response = api().post(
        MESSAGES,
        {"message": "chest pain and sweating"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    assert response.status_code == 200
    reply = response.json()["reply"]
    assert reply["level"] == "emergency"
    assert reply["text"].startswith(EMERGENCY_HI)
    assert reply["links"] == [{"label": "112 पर कॉल करें", "url": "tel:112"}]


@pytest.mark.django_db
def test_english_stays_the_default(api):
    reply = api().post(MESSAGES, {"message": "chest pain"}, format="json").json()["reply"]
    assert reply["text"].startswith("This may be an emergency. Call 112 now")


@pytest.mark.django_db
def test_self_care_and_answers_follow_the_active_language(patient_a):
    with translation.override("hi"):
        reply = respond(message="I have a sore throat", user=patient_a, now=timezone.now())
    assert reply.intent == "self_care"
    assert reply.text.startswith("गले में खराश: अपनी देखभाल की सामान्य सलाह।")
    assert [s.title for s in reply.sections] == ["आमतौर पर इनसे मदद मिलती है", "डॉक्टर को दिखाएँ अगर"]
    assert "Drink plenty of fluids" not in " ".join(reply.sections[0].items)
    with translation.override("en"):
        reply = respond(message="I have a sore throat", user=patient_a, now=timezone.now())
    assert reply.text.startswith("Sore throat: general self-care.")


@pytest.mark.django_db
def test_the_urgent_reply_and_greeting_in_hindi(patient_a):
    with translation.override("hi"):
        greeting = respond(message="hello", user=patient_a, now=timezone.now())
    assert greeting.text == "नमस्ते, मैं MedConnect सहायक हूँ। मैं इनमें मदद कर सकता हूँ:"
    assert "आपातकाल में तुरंत 112 पर कॉल करें।" in greeting.sections[1].items


def test_every_self_care_topic_has_a_hindi_text_of_the_same_shape():
    for topic in knowledge.topics():
        hindi = topic.in_language("hi")
        assert hindi.title != topic.title, topic.slug
        assert len(hindi.advice) == len(topic.advice), topic.slug
        assert len(hindi.see_doctor) == len(topic.see_doctor), topic.slug
        assert hindi.keywords == topic.keywords  # matching does not change with the language
    assert knowledge.topics()[0].in_language("en") == knowledge.topics()[0]
    assert knowledge.topics()[0].in_language("hi-in").title == "सामान्य सर्दी-ज़ुकाम"


def test_the_red_flag_check_does_not_depend_on_the_language():
    with translation.override("hi"):
        assert red_flag("mujhe seene mein dard hai") is not None
        assert red_flag("I have a mild cold") is None


@pytest.mark.parametrize(
    "message, rule",
    [
        ("मुझे सीने में दर्द हो रहा है", "chest pain"),
        ("साँस नहीं ले पा रहा", "breathing"),
        ("मेरे बच्चे ने ज़हर खा लिया", "poisoning"),
        ("मैं आत्महत्या करना चाहता हूँ", "suicide"),
        ("बहुत खून बह रहा है, रुक नहीं रहा", "bleeding"),
        ("वह बेहोश हो गया", "unconscious"),
    ],
)
def test_emergencies_typed_in_devanagari_are_caught(message, rule):
    flag = red_flag(message)
    assert flag is not None and flag.level == "emergency" and flag.rule == rule


def test_everyday_hindi_in_devanagari_is_no_emergency():
    for message in ("मुझे हल्की सर्दी है", "नमस्ते", "मेरा अगला अपॉइंटमेंट कब है?"):
        assert red_flag(message) is None


@pytest.mark.django_db
def test_a_devanagari_emergency_is_answered_in_hindi():
    response = _hindi_client().post(SEND, {"message": "मुझे सीने में दर्द हो रहा है"}, **HTMX)
    assert EMERGENCY_HI in response.content.decode()
