"""Memberships: periods that never overlap for the same pair, within the municipality's life."""

import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import connection

from khs.models import AuditEntry
from membership.exceptions import MembershipError
from membership.models import Membership, MembershipInvitation
from membership.selectors import memberships_during, memberships_on
from membership.services import (
    membership_create,
    membership_end,
    membership_invitation_answer,
    membership_invitation_create,
    membership_update,
)
from tests import factories as f


def test_members_on_a_day_is_one_query(coop, municipalities, django_assert_num_queries):
    membership_end(
        membership=Membership.objects.get(municipality=municipalities["gol"]), ends_on=date(2017, 12, 31), actor=None
    )
    with django_assert_num_queries(1):
        members = [m.municipality.name for m in memberships_on(coop, date(2018, 1, 1))]
    assert members == ["Drammen", "Lier"]
    assert [m.municipality.name for m in memberships_on(coop, date(2017, 12, 31))] == ["Drammen", "Gol", "Lier"]
    assert [m.municipality.name for m in memberships_on(coop, date(2011, 12, 31))] == []
    assert len(memberships_during(coop, date(2018, 1, 1), date(2018, 12, 31))) == 2


def test_membership_is_created_with_an_audit_entry(coop, administrator):
    asker = f.make_municipality("0220", "Asker")
    membership = membership_create(
        cooperation=coop, municipality=asker, starts_on=date(2012, 1, 1), actor=administrator
    )
    entry = AuditEntry.objects.get(verb="membership_create")
    assert (entry.object_id, entry.cooperation_id, entry.actor) == (str(membership.pk), coop.pk, administrator)


@pytest.mark.parametrize(
    "starts_on, ends_on",
    [
        (date(2015, 1, 1), None),  # inside the open period
        (date(2010, 1, 1), date(2012, 1, 1)),  # ends on its first day
        (date(2010, 1, 1), None),  # covers it entirely
    ],
)
def test_overlapping_periods_for_the_same_pair_are_refused(coop, municipalities, administrator, starts_on, ends_on):
    with pytest.raises(MembershipError) as caught:
        membership_create(
            cooperation=coop,
            municipality=municipalities["lier"],
            starts_on=starts_on,
            ends_on=ends_on,
            actor=administrator,
        )
    assert caught.value.field_errors["starts_on"] == [
        "0626 Lier er allerede medlem i perioden 01.01.2012–(løpende); periodene kan ikke overlappe."
    ]
    assert Membership.objects.filter(municipality=municipalities["lier"]).count() == 1


def test_adjacent_periods_and_other_cooperations_do_not_overlap(coop, municipalities, administrator):
    membership_create(
        cooperation=coop,
        municipality=municipalities["lier"],
        starts_on=date(2010, 1, 1),
        ends_on=date(2011, 12, 31),
        actor=administrator,
    )
    other = f.make_cooperation()
    membership_create(
        cooperation=other, municipality=municipalities["lier"], starts_on=date(2012, 6, 1), actor=administrator
    )
    assert Membership.objects.filter(municipality=municipalities["lier"]).count() == 3


def test_membership_before_the_municipality_existed_is_refused(coop, administrator):
    asker = f.make_municipality("3025", "Asker", valid_from=date(2020, 1, 1))
    with pytest.raises(MembershipError) as caught:
        membership_create(cooperation=coop, municipality=asker, starts_on=date(2019, 1, 1), actor=administrator)
    assert caught.value.field_errors["starts_on"] == [
        "3025 Asker fantes ikke før 01.01.2020, så medlemskapet kan ikke begynne 01.01.2019."
    ]
    assert not Membership.objects.filter(municipality=asker).exists()


def test_open_membership_of_a_municipality_that_ceased_is_refused(coop, administrator):
    hurum = f.make_municipality("0628", "Hurum", valid_to=date(2019, 12, 31))
    with pytest.raises(MembershipError) as caught:
        membership_create(cooperation=coop, municipality=hurum, starts_on=date(2012, 1, 1), actor=administrator)
    assert caught.value.field_errors["ends_on"] == [
        "0628 Hurum opphørte 31.12.2019; medlemskapet må ha en sluttdato senest da."
    ]
    membership_create(
        cooperation=coop,
        municipality=hurum,
        starts_on=date(2012, 1, 1),
        ends_on=date(2019, 12, 31),
        actor=administrator,
    )


def test_ending_a_membership_keeps_its_history(coop, municipalities, administrator):
    membership = Membership.objects.get(municipality=municipalities["gol"])
    membership_end(membership=membership, ends_on=date(2017, 12, 31), actor=administrator)
    membership.refresh_from_db()
    assert membership.ends_on == date(2017, 12, 31)
    assert AuditEntry.objects.get(verb="membership_end").changes == {"ends_on": [None, "2017-12-31"]}
    with pytest.raises(MembershipError, match="Sluttdatoen kan ikke være før startdatoen"):
        membership_end(membership=membership, ends_on=date(2011, 1, 1), actor=administrator)


def test_update_checks_the_same_rules(coop, municipalities, administrator):
    first = Membership.objects.get(municipality=municipalities["lier"])
    membership_update(membership=first, ends_on=date(2014, 12, 31), actor=administrator)
    second = membership_create(
        cooperation=coop, municipality=municipalities["lier"], starts_on=date(2016, 1, 1), actor=administrator
    )
    with pytest.raises(MembershipError, match="overlappe"):
        membership_update(membership=second, starts_on=date(2014, 6, 1), actor=administrator)
    second.refresh_from_db()
    assert second.starts_on == date(2016, 1, 1)


# --- Invitations (seed 004: invited 7.10.2011 to continue in 2012) -------------------------------------


def _invite(coop, municipalities, clerk, **kwargs):
    for m in municipalities:
        Membership.objects.filter(cooperation=coop, municipality=m).update(
            ends_on=date(2011, 12, 31), starts_on=date(2010, 1, 1)
        )
    return membership_invitation_create(
        cooperation=coop,
        municipalities=municipalities,
        letter_title="Invitasjon til fortsatt deltagelse",
        sent_on=date(2011, 10, 7),
        starts_on=date(2012, 1, 1),
        actor=clerk,
        **kwargs,
    )


def test_accepting_an_invitation_creates_the_next_period(coop, municipalities, clerk):
    gol, lier = municipalities["gol"], municipalities["lier"]
    invitations = _invite(coop, [gol, lier], clerk, ends_on=date(2012, 12, 31))
    assert [i.answer for i in invitations] == ["pending", "pending"]
    answered = membership_invitation_answer(
        invitation=invitations[0],
        accepted=True,
        answered_on=date(2011, 11, 24),
        reference="Kommunestyret 24.11.2011, sak 55/11",
        actor=clerk,
    )
    assert answered.answer == MembershipInvitation.Answer.ACCEPTED
    assert (answered.membership.starts_on, answered.membership.ends_on) == (date(2012, 1, 1), date(2012, 12, 31))
    assert answered.answer_reference == "Kommunestyret 24.11.2011, sak 55/11"
    declined = membership_invitation_answer(
        invitation=invitations[1], accepted=False, answered_on=date(2011, 12, 1), actor=clerk
    )
    assert declined.membership is None
    assert [m.municipality for m in memberships_on(coop, date(2012, 1, 1))] == [municipalities["drammen"], gol]


def test_an_invitation_is_answered_once_and_not_before_it_was_sent(coop, municipalities, clerk):
    (invitation,) = _invite(coop, [municipalities["gol"]], clerk)
    with pytest.raises(MembershipError, match="før invitasjonen ble sendt"):
        membership_invitation_answer(invitation=invitation, accepted=True, answered_on=date(2011, 10, 1), actor=clerk)
    membership_invitation_answer(invitation=invitation, accepted=True, answered_on=date(2011, 11, 1), actor=clerk)
    with pytest.raises(MembershipError, match="har allerede svart"):
        membership_invitation_answer(invitation=invitation, accepted=False, answered_on=date(2011, 11, 2), actor=clerk)
    assert Membership.objects.filter(municipality=municipalities["gol"]).count() == 2


def test_accepting_an_offer_that_overlaps_a_membership_is_refused(coop, municipalities, clerk):
    (invitation,) = membership_invitation_create(
        cooperation=coop,
        municipalities=[municipalities["gol"]],
        letter_title="Brev",
        sent_on=date(2011, 10, 7),
        starts_on=date(2012, 1, 1),
        actor=clerk,
    )
    with pytest.raises(MembershipError, match="overlappe"):
        membership_invitation_answer(invitation=invitation, accepted=True, answered_on=date(2011, 11, 1), actor=clerk)
    invitation.refresh_from_db()
    assert invitation.answer == "pending"


def test_inviting_twice_for_the_same_period_is_refused(coop, municipalities, clerk):
    _invite(coop, [municipalities["gol"]], clerk)
    with pytest.raises(MembershipError, match="allerede invitert"):
        _invite(coop, [municipalities["gol"]], clerk)


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="real parallel transactions need PostgreSQL",
)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_registering_the_same_membership_at_once_make_one():
    coop = f.make_cooperation()
    gol = f.make_municipality("0617", "Gol")
    barrier = threading.Barrier(2)
    outcomes = []

    def register(starts_on):
        try:
            barrier.wait()
            membership_create(cooperation=coop, municipality=gol, starts_on=starts_on, actor=None)
            outcomes.append("created")
        except MembershipError:
            outcomes.append("refused")
        finally:
            connection.close()

    # Different first days, so no unique constraint helps: only the lock keeps the periods apart.
    threads = [threading.Thread(target=register, args=(day,)) for day in (date(2012, 1, 1), date(2013, 1, 1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "refused"]
    assert Membership.objects.filter(municipality=gol).count() == 1
