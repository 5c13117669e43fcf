"""Journeys: an administrator keeps a cooperation and who works in it; a clerk records an invitation round."""

from datetime import date

from membership.models import CooperationAgreement, Membership, MembershipInvitation
from tests import factories as f
from tests.browser.conftest import check_a11y, login


def test_administrator_edits_the_cooperation_and_gives_it_to_a_clerk(page, administrator, coop, other_clerk):
    login(page, "administrator")
    page.wait_for_url("**/dashboard/")
    page.goto("/cooperations/")
    check_a11y(page)
    page.get_by_role("button", name="Arbeid i HS").click()  # administrators see every cooperation
    page.wait_for_url("**/cooperation/")
    assert page.get_by_role("heading", level=1).inner_text() == "Helsesamarbeidet (HS)"
    check_a11y(page)
    page.get_by_role("link", name="Endre opplysninger").click()
    check_a11y(page)
    page.get_by_label("Organisasjonsnummer").fill("123456789")
    page.get_by_label("Kontonummer").fill("15037912341")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("er ikke et gyldig organisasjonsnummer").first.wait_for()
    check_a11y(page)
    page.get_by_label("Organisasjonsnummer").fill("974760673")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/cooperation/")

    page.get_by_role("link", name="Registrer avtaleperiode").click()
    check_a11y(page)
    page.get_by_label("fra").fill("2012-01-01")
    page.get_by_label("til").fill("2017-12-31")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/cooperation/")
    assert CooperationAgreement.objects.get(cooperation=coop).ends_on == date(2017, 12, 31)

    page.get_by_role("link", name="Endre hvem som har tilgang").click()
    check_a11y(page)
    page.get_by_label("otherclerk").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/cooperation/")
    check_a11y(page)
    assert other_clerk in coop.staff.all()


def test_clerk_records_an_invitation_and_an_answer(page, clerk, coop, municipalities):
    Membership.objects.filter(municipality=municipalities["gol"]).update(
        starts_on=date(2010, 1, 1), ends_on=date(2011, 12, 31)
    )
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto("/invitations/")
    check_a11y(page)
    page.get_by_role("link", name="Registrer invitasjon").click()
    check_a11y(page)
    page.get_by_label("0617 Gol").check()
    page.get_by_label("Brev").fill("Invitasjon til fortsatt deltagelse i 2012")
    page.get_by_label("Sendt").fill("2011-10-07")
    page.get_by_label("Deltakelse fra").fill("2012-01-01")
    page.get_by_role("button", name="Registrer invitasjonen").click()
    page.wait_for_url("**/invitations/")
    check_a11y(page)

    page.get_by_role("link", name="Registrer svar fra Gol").click()
    check_a11y(page)
    page.get_by_label("Takket ja").check()
    page.get_by_label("Dato for svaret").fill("2011-11-24")
    page.get_by_label("Kommunens vedtak").fill("Kommunestyret 24.11.2011, sak 55/11")
    page.get_by_role("button", name="Registrer svaret").click()
    page.wait_for_url("**/invitations/")
    page.get_by_text("Kommunestyret 24.11.2011, sak 55/11").first.wait_for()
    check_a11y(page)
    assert MembershipInvitation.objects.get().membership.starts_on == date(2012, 1, 1)
    f.make_population(municipalities["gol"], 2012, 4581)
    page.goto("/members/?on=2012-01-01")
    assert "Gol" in page.locator("tbody").inner_text()
    check_a11y(page)
