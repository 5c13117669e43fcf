import pytest


def test_wrong_password_shows_an_error(client, clerk):
    response = client.post("/login/", {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200
    assert "Vennligst oppgi korrekt brukernavn og passord" in response.content.decode()


def test_right_password_leads_to_the_dashboard(client, clerk):
    response = client.post("/login/", {"username": "clerk", "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client, clerk, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/login/", {"username": "clerk", "password": "wrong"})
    response = client.post("/login/", {"username": "clerk", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "For mange mislykkede innlogginger" in response.content.decode()
