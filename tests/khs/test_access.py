"""Who sees what: anonymous visitors, members and each staff role."""

import pytest
from django.contrib.auth.models import Group

from khs.roles import ADMINISTRATOR, SECRETARIAT, TREASURER, roles_sync


def test_anonymous_visitor_sees_the_start_page_and_sign_in(client, db):
    assert client.get("/").status_code == 200
    assert client.get("/login/").status_code == 200
    assert client.get("/login/link/").status_code == 200


@pytest.mark.parametrize("url", ["/dashboard/", "/admin/"])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_roles_are_groups_with_the_permissions_of_their_work(db):
    roles_sync()
    secretariat = {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=SECRETARIAT).permissions.all()
    }
    treasurer = {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=TREASURER).permissions.all()
    }
    assert {"meetings.add_case", "meetings.change_meeting", "membership.change_office"} <= secretariat
    # A municipality's installation-wide facts are the administrators' (membership/access.py).
    assert "membership.change_municipality" not in secretariat
    assert "membership.view_municipality" in treasurer
    assert "membership.change_municipality" not in treasurer
    assert "meetings.change_case" not in treasurer
    assert "auth.change_user" not in secretariat
    assert "auth.change_user" in {
        p.codename and f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=ADMINISTRATOR).permissions.all()
    }


def test_admin_site_is_for_administrators_only(client, clerk, administrator):
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 302  # not staff: sent to the admin sign-in
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200


def test_staff_switch_only_to_cooperations_they_are_given(client, clerk, other_clerk, coop):
    client.force_login(other_clerk)
    response = client.post("/cooperation/switch/", {"cooperation": coop.pk}, follow=True)
    assert "Du har ikke tilgang til det samarbeidet." in response.content.decode()
    assert client.session.get("khs_cooperation_id") is None


def test_switch_refuses_get(clerk_client):
    assert clerk_client.get("/cooperation/switch/").status_code == 405


def test_dashboard_names_the_current_cooperation(clerk_client, coop):
    response = clerk_client.get("/dashboard/")
    assert response.status_code == 200
    assert coop.name in response.content.decode()


def test_a_page_reads_the_signed_in_users_roles_once(client, db):
    # The access check, the menu and the cooperation switcher each ask for the roles.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f

    coop = f.make_cooperation(name="Helsesamarbeidet", short_name="HS")
    client.force_login(f.make_user("rolleclerk", role=SECRETARIAT, cooperations=[coop]))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "Helsesamarbeidet" in response.content.decode()
    reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "auth_group" INNER JOIN "auth_user_groups"' in q["sql"]
    ]
    assert len(reads) == 1, reads
