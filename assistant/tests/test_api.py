"""/api/v1/assistant/: the same assistant and history as the web chat."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assistant.models import Conversation, Message
from assistant.tests.factories import conversation_of
from encryption.fields import encrypted_fields

MESSAGES = reverse("api:assistant_message")
CONVERSATIONS = reverse("api:assistant_conversations")


def _detail(conversation):
    return reverse("api:assistant_conversation", args=[conversation.pk])


@pytest.mark.django_db
def test_a_signed_out_app_gets_general_answers_and_keeps_nothing(api):
    response = api().post(MESSAGES, {"message": "chest pain and sweating"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["conversation"] is None
    assert body["reply"]["level"] == "emergency"
    assert body["reply"]["links"] == [{"label": "Call 112", "url": "tel:112"}]
    assert Conversation.objects.count() == 0


def test_a_patient_keeps_the_conversation_and_continues_it(api, patient_a):
    client = api(patient_a)
    first = client.post(MESSAGES, {"message": "hello", "time_zone": "Asia/Kolkata"}, format="json")
    pk = first.json()["conversation"]
    second = client.post(MESSAGES, {"message": "thanks", "conversation": pk}, format="json")
    assert second.json()["conversation"] == pk
    detail = client.get(reverse("api:assistant_conversation", args=[pk])).json()
    assert [m["sender"] for m in detail["messages"]] == ["patient", "assistant"] * 2
    assert detail["messages"][0]["text"] == "hello" and detail["messages"][0]["reply"] is None
    assert detail["messages"][3]["reply"]["intent"] == "thanks"


def test_bad_input_is_a_400(api, patient_a):
    response = api(patient_a).post(MESSAGES, {"message": "x" * 501}, format="json")
    assert response.status_code == 400
    assert "message" in response.json()["errors"]


def test_the_api_is_rate_limited_with_the_chat(api, patient_a, settings):
    settings.MEDCONNECT_ASSISTANT_RATE = "2/minute"
    client = api(patient_a)
    codes = [client.post(MESSAGES, {"message": "hi"}, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_conversations_are_the_patients_own(api, patient_a, patient_b, doctor, staff):
    mine = conversation_of(patient_a, "hi")
    conversation_of(patient_b, "hi")
    listing = api(patient_a).get(CONVERSATIONS).json()
    assert [c["id"] for c in listing["results"]] == [mine.pk]
    assert api(staff).get(CONVERSATIONS).json()["results"] == []
    for user in (patient_b, doctor.user, staff):
        assert api(user).get(_detail(mine)).status_code == 404
        assert api(user).delete(_detail(mine)).status_code == 404
        response = api(user).post(
            MESSAGES, {"message": "hi", "conversation": mine.pk}, format="json"
        )
        assert response.status_code in (200, 404)
    assert mine.messages.count() == 2
    assert api().get(CONVERSATIONS).status_code == 401
    assert api().get(_detail(mine)).status_code == 401


def test_another_patient_cannot_continue_a_conversation(api, patient_a, patient_b):
    mine = conversation_of(patient_a, "hi")
    response = api(patient_b).post(
        MESSAGES, {"message": "hi", "conversation": mine.pk}, format="json"
    )
    assert response.status_code == 404


def test_the_patient_deletes_a_conversation(api, patient_a):
    mine = conversation_of(patient_a, "hi")
    assert api(patient_a).delete(_detail(mine)).status_code == 204
    assert not Message.objects.exists()


def test_the_list_has_a_fixed_query_count(api, patient_a, django_assert_num_queries):
    for n in range(30):
        conversation_of(patient_a, f"hi {n}")
    client = api(patient_a)
    client.get(CONVERSATIONS)  # the first call stamps the session; later calls do not write
    with django_assert_num_queries(5):
        response = client.get(CONVERSATIONS + "?page_size=100")
    assert response.json()["count"] == 30


def test_key_rotation_re_encrypts_conversations(patient_a, settings, capsys):
    from cryptography.fernet import Fernet

    assert {(m.__name__, f) for m, f in encrypted_fields()} >= {
        ("Conversation", "title"),
        ("Message", "text"),
        ("Message", "details"),
    }
    conversation_of(patient_a, "a private question")
    settings.MEDCONNECT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()] + list(
        settings.MEDCONNECT_ENCRYPTION_KEYS
    )
    call_command("rotate_encryption_keys")
    out = capsys.readouterr().out
    assert "assistant.Message.text: 2 value(s), re-encrypted 2" in out
    settings.MEDCONNECT_ENCRYPTION_KEYS = settings.MEDCONNECT_ENCRYPTION_KEYS[:1]
    assert Message.objects.order_by("pk").first().text == "a private question"
