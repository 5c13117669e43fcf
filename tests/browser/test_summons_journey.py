"""The clerk previews the demo meeting's summons, sends it, and sees what went to whom."""

from django.core import mail

from khs.lib.pdf import pdf_text
from meetings.models import Dispatch, Meeting
from tests.browser.conftest import check_a11y, login
from tests.meetings.summons_world import squash


def test_clerk_previews_and_sends_the_summons_of_the_demo_meeting(page, live_server, settings, demo_snapshots):
    settings.SITE_URL = live_server.url
    demo_snapshots.load("without_minutes")  # the summons is sent before the meeting, so before its minutes
    meeting = Meeting.objects.get(body__name="Ordførermøtet", starts_at__year=2017)
    invited = meeting.invitees.count()
    login(page, "sekretariat")
    page.wait_for_url("**/dashboard/")

    page.goto(f"/meetings/{meeting.pk}/summons/")
    check_a11y(page)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Innkalling")

    preview = page.get_by_role("link", name="Innkallingen (PDF)")
    response = page.request.get(preview.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = squash(pdf_text(response.body()))
    assert "Innkalling til ordførermøte i Kommunehelsesamarbeidet (KHS)" in text
    assert "Sak 1/2017 Videreføring eller avvikling av Kommunehelsesamarbeidet 31.12.2017" in text
    assert "Påmelding innen 4. juni 2017" in text
    case_link = page.get_by_role("link", name="Saksframlegg sak 2/2017 Forslag til kontingent 2018 (PDF)")
    assert "Forslag til kontingent 2018" in pdf_text(page.request.get(case_link.get_attribute("href")).body())

    page.get_by_role("button", name="Send innkalling").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Send innkalling?" and not mail.outbox
    check_a11y(page)
    page.get_by_role("button", name=f"Send innkalling til {invited} inviterte").click()
    page.get_by_text(f"Innkallingen er sendt: {invited} e-poster sendt, 0 til utskrift.").wait_for()
    page.get_by_text(f"Sendt {invited} av {invited}").wait_for()  # the dispatch's page
    check_a11y(page)
    assert len(mail.outbox) == invited
    page.get_by_role("link", name="Tilbake til innkallingen").click()
    log = page.locator("table.dispatch-log").inner_text()
    assert "Innkalling" in log and f"{invited} e-post, 0 utskrift, 0 feilet" in log
    assert Dispatch.objects.get(meeting=meeting).recipients.count() == invited

    page.get_by_label("Hva er endret?").fill("Møtet flyttes til rådhuset.")
    page.get_by_role("button", name="Send endret innkalling til alle").click()
    page.get_by_text("Den endrede innkallingen er sendt").wait_for()
    check_a11y(page)
    page.get_by_role("link", name="Tilbake til innkallingen").click()
    assert len(mail.outbox) == 2 * invited and "Møtet flyttes til rådhuset." in mail.outbox[-1].body
    assert "Endret innkalling" in page.locator("table.dispatch-log").inner_text()


def test_the_dispatch_page_follows_the_worker_without_reloading(page, live_server, settings, demo_snapshots):
    from khs import outbox
    from meetings.services import summons

    settings.SITE_URL = live_server.url
    demo_snapshots.load()
    # From here tasks are stored, not run: the mail waits until this test plays the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from tests import factories as f
    from tests.meetings.summons_world import invite

    demo = Meeting.objects.get(body__name="Ordførermøtet", starts_at__year=2017)
    meeting = f.make_meeting(demo.body, title="Ekstraordinært ordførermøte")  # a draft the clerk may send
    invite(meeting, 6)
    invited = 6
    login(page, "sekretariat")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/meetings/{meeting.pk}/summons/")

    page.get_by_role("button", name="Send innkalling").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Send innkalling?"  # the confirmation page
    page.get_by_role("button", name=f"Send innkalling til {invited} inviterte").click()
    page.get_by_text(f"Sendt 0 av {invited}").wait_for()  # back at once, nothing handed to SMTP yet
    check_a11y(page)
    assert len(mail.outbox) == 0
    page.evaluate("window.stillThePage = true")

    summons.dispatch_prepare(dispatch_id=Dispatch.objects.get(meeting=meeting).pk)  # render, queue the mails
    assert outbox.deliver_due(limit=3) == 3
    page.get_by_text(f"Sendt 3 av {invited}").wait_for()
    outbox.deliver_due()
    page.get_by_text(f"Sendt {invited} av {invited}").wait_for()
    assert page.evaluate("window.stillThePage") is True  # updated in place, not reloaded
    assert page.locator("[data-count=queued]").inner_text() == "0"
    assert len(mail.outbox) == invited
