"""A NUL character in a query parameter is a clear 400 on pages, the API and FHIR,
before it can reach a database lookup (PostgreSQL refuses it with a 500)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/find-a-doctor/?specialization=%00",
        "/find-a-doctor/?q=a%00b",
        "/find-a-doctor/?%00=1",
    ],
)
def test_pages_answer_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.text


def test_the_api_answers_its_own_error_body(client):
    response = client.get("/api/v1/doctors/?specialization=cardio%00logy")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "NUL character" in response.json()["detail"]


def test_fhir_answers_an_operation_outcome(client):
    response = client.get("/fhir/Practitioner?name=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == "invalid"


def test_ordinary_searches_pass(client):
    assert client.get("/find-a-doctor/?q=Mehta").status_code == 200
