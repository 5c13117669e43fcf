"""The treasurer issues a run and watches the worker on the run's page: validated 1, 2, 3 of 3, issued, the
print bundle ready for download; the page updates itself, it is never reloaded."""

import pytest
from django.utils import timezone

from billing.models import Invoice, InvoiceRunBundle, InvoiceRunJob
from khs.lib.pdf import pdf_text
from tests.browser.conftest import check_a11y, login
from tests.browser.test_billing_treasurer import _setup


@pytest.mark.both_widths
def test_the_run_page_follows_the_worker_from_queued_to_the_bundle(page, treasurer, coop, municipalities, settings):
    from billing.services import invoice_run_bundle_build, invoice_run_job_carry_out

    _setup(coop, municipalities)
    # From here tasks are stored, not run: the run waits until this test plays the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    login(page, "treasurer")
    page.wait_for_url("**/dashboard/")
    page.goto("/billing/run/?year=2018")
    page.get_by_role("button", name="Utsted 3 fakturaer").click()
    page.get_by_role("button", name="Utsted 3 fakturaer").click()  # the confirmation
    page.wait_for_url("**/billing/runs/jobs/*/")
    page.get_by_text("Venter på at arbeideren skal begynne (3 fakturaer).").wait_for()
    check_a11y(page)
    assert Invoice.objects.count() == 0
    page.evaluate("window.stillThePage = true")

    shown = []

    def progress(job):  # the worker pauses after each invoice until the page has shown it
        text = f"EHF laget og validert for {job.validated} av 3 fakturaer."
        page.get_by_text(text).wait_for()
        shown.append(text)

    job = invoice_run_job_carry_out(job_id=InvoiceRunJob.objects.get().pk, progress=progress)
    assert len(shown) == 3 and job.status == InvoiceRunJob.Status.ISSUED
    page.get_by_text("3 av 3 fakturaer er utstedt, EHF validert.").wait_for()
    page.get_by_text("Utskriftsfilen venter på arbeideren.").wait_for()
    download_link = page.get_by_role("link", name="Last ned alle som én PDF (for utskrift)")
    assert not download_link.is_visible()

    invoice_run_bundle_build(bundle_id=InvoiceRunBundle.objects.get(run=job.run).pk)
    page.get_by_text("Utskriftsfilen er klar.").wait_for()
    assert page.evaluate("window.stillThePage") is True  # updated in place, not reloaded
    check_a11y(page)
    with page.expect_download() as download_info:
        download_link.click()
    text = pdf_text(open(download_info.value.path(), "rb").read())
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert all(n in text for n in numbers) and len(numbers) == 3

    page.get_by_role("link", name="Til kjøringen og fakturaene").click()
    page.wait_for_url(f"**/billing/runs/{job.run.pk}/")
    assert "Utskriftsfilen er klar." in page.content()
    check_a11y(page)
    assert job.run.issued_at <= timezone.now()
