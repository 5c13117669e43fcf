"""Every staff view, tried by a clerk of another cooperation and by a member of another municipality.

The world is the demo (KHS, Vestregionen, Hallingdal with meetings, cases, invoices and payments).
The intruders get a cooperation of their own, "Tom", with no members and no data, so every object
of the demo belongs to someone else: no page may show it, no POST may change anything."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from khs.models import AuditEntry
from khs.roles import SECRETARIAT
from membership.models import Body, Membership, Office, Person
from tests import factories as f
from tests.demo_world import demo_loaded_once

# Pages any staff user reads: the installation-wide register of municipalities (shared by design).
SHARED_READS = {"membership:municipality-detail"}
# Not staff views: sign-in, public tokens, the admin site (its own test), media.
SKIPPED = {
    "home",
    "healthz",
    "login",
    "logout",
    "member-link-request",
    "member-login",
    "cooperation-switch",
    "meetings:body_feed",
    "meetings:person_feed",
    "meetings:attendance_answer",
    "meetings:attendance_answer_document",
}
# The public pages and open-data API (publishing, issue 15) show what is public to anyone, by design;
# tests/publishing crawls them anonymously and checks that nothing personal shows.
PUBLIC_ROUTES = ("innsyn/", "api/oparl/")
IDS = (1, 2, 3, 5, 8)


def _patterns(patterns=None, prefix="", namespace=None):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) in ("admin/", "i18n/"):
                continue
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)


def _urls(route: str):
    """The route with every <int:…> filled with each of a few ids of demo objects (str: csv)."""
    if "(?P" in route:
        return []
    if "<int:" not in route:
        return ["/" + route.replace("<str:fmt>", "csv").replace("<str:token>", "x")]
    return ["/" + re.sub(r"<int:(\w+)>", lambda m, i=i: "2017" if m.group(1) == "year" else str(i), route) for i in IDS]


def _fingerprint():
    """Everything a write would leave: the audit trail and the rows of the register."""
    return (
        AuditEntry.objects.count(),
        list(Membership.objects.order_by("pk").values_list("pk", "starts_on", "ends_on")),
        list(Office.objects.order_by("pk").values_list("pk", "person_id", "ends_on")),
        list(Person.objects.order_by("pk").values_list("pk", "name", "email")),
    )


demo_loaded = demo_loaded_once()


@pytest.fixture
def demo_world(demo_loaded, db):
    secrets = set(Person.objects.filter(offices__isnull=False).values_list("name", flat=True))
    secrets |= set(Body.objects.values_list("name", flat=True))
    return {s for s in secrets if len(s) > 6}


def _sweep(client, *, reads_allowed):
    problems = []
    before = _fingerprint()
    for name, route in _patterns():
        if name in SKIPPED or route.startswith(PUBLIC_ROUTES):
            continue
        for url in _urls(route):
            response = client.get(url)
            status = response.status_code
            has_pk = "<int:" in route and "<int:year>" not in route
            if has_pk and name not in SHARED_READS and status == 200:
                problems.append(f"GET {url} ({name}) answered 200")
            if status == 200 and name not in SHARED_READS and "text/html" in response.get("Content-Type", ""):
                page = response.content.decode()
                leaked = sorted(s for s in reads_allowed if s in page)
                if leaked:
                    problems.append(f"GET {url} ({name}) shows {leaked[:3]}")
            response = client.post(url, {})
            if response.status_code >= 500:
                problems.append(f"POST {url} ({name}) answered {response.status_code}")
    if _fingerprint() != before:
        problems.append("a POST changed the register or wrote to the audit trail")
    return problems


def test_a_clerk_of_another_cooperation_reaches_nothing_of_the_demo(client, demo_world):
    tom = f.make_cooperation(name="Tomt samarbeid", short_name="TOM")
    client.force_login(f.make_user("tomclerk", role=SECRETARIAT, cooperations=[tom]))
    assert _sweep(client, reads_allowed=demo_world) == []


def test_a_member_of_another_municipality_reaches_no_staff_view(client, demo_world):
    from khs.services import member_user_ensure

    outside = f.make_municipality("5501", "Utenforby")
    person = f.make_person("Ordfører i Utenforby", email="ordforer@utenfor.example.no")
    f.make_office(person, municipality=outside)
    client.force_login(member_user_ensure(person=person))
    assert _sweep(client, reads_allowed=demo_world) == []
