"""Services of the core: member sign-in links."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from sesame.utils import get_query_string

from khs.lib.audit import audit_log


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
    with translation.override(person.language or settings.LANGUAGE_CODE):
        body = render_to_string("khs/mail/member_link.txt", {"person": person, "url": url})
        send_mail(_("Innloggingslenke til khs"), body, None, [person.email])
    audit_log(
        actor=None,
        action="event",
        verb="member_login_link",
        obj=person,
        actor_label="system",
        message="sign-in link sent",
    )
    return True
