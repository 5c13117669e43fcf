import json
from unittest import mock

from django.db.utils import OperationalError


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("khs.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "unavailable", "detail": "OperationalError"}


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
