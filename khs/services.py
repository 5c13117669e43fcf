"""Services of the core: member sign-in links."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from sesame.utils import get_query_string

from khs.lib.audit import audit_log
from khs.mail import mail_queue, make_message


def member_user_ensure(*, person):
    """The login account of a member (created on first need); members never get a password."""
    User = get_user_model()
    if person.user_id:
        return person.user
    user = User.objects.create_user(username=f"person-{person.pk}", email=person.email or "")
    user.first_name, _sep, user.last_name = person.name.partition(" ")
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    audit_log(
        actor=None,
        action="create",
        verb="member_user_ensure",
        obj=person,
        actor_label="system",
        message=f"login account {user.username}",
    )
    return user


def member_login_url(*, person) -> str:
    """An absolute one-time sign-in link for this person."""
    user = member_user_ensure(person=person)
    return settings.SITE_URL + reverse("member-login") + get_query_string(user)


def _cooperation_names(person) -> str:
    """The cooperations a person takes part in (through an office in it, its bodies or a member
    municipality), for the subject of their sign-in mail: "Kommunehelsesamarbeidet i Vestre Viken"."""
    from django.db.models import Q

    from membership.models import Cooperation, Office

    offices = Office.objects.filter(person=person)
    names = list(
        Cooperation.objects.filter(
            Q(pk__in=offices.values("cooperation_id"))
            | Q(bodies__in=offices.values("body_id"))
            | Q(memberships__municipality__in=offices.values("municipality_id"))
        )
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:3]
    )
    return ", ".join(names)


def member_login_link(*, email: str) -> bool:
    """Mail a one-time sign-in link to the person with this address; False if none is known."""
    from khs.signin import may_sign_in_by_link
    from membership.models import Person

    person = Person.objects.filter(email__iexact=email.strip()).select_related("user").order_by("pk").first()
    if person is None:
        return False
    if person.user_id and not may_sign_in_by_link(person.user):
        # Staff sign in with their password; a link would get round it and the lockout.
        audit_log(
            actor=None,
            action="event",
            verb="member_login_link",
            obj=person,
            actor_label="system",
            message="refused: staff account",
        )
        return False
    url = member_login_url(person=person)
    message = make_message(
        "khs/member_link",
        person.email,
        {"person": person, "url": url, "cooperations": _cooperation_names(person)},
        person.language or settings.LANGUAGE_CODE,
    )
    mail_queue(message, kind="sign_in", key=f"sign-in:{person.pk}:{uuid.uuid4().hex}", about=person)
    audit_log(
        actor=None,
        action="event",
        verb="member_login_link",
        obj=person,
        actor_label="system",
        message="sign-in link sent",
    )
    return True
