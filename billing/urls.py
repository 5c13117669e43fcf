from django.urls import path

from billing.views import bank_files, invoices, overview, payments, rates, references, runs

app_name = "billing"
urlpatterns = [
    path("billing/", overview.overview, name="overview"),
    path("billing/years/<int:year>/", overview.year_summary, name="year-summary"),
    path("billing/settings/", rates.profile_edit, name="profile"),
    path("billing/rates/", rates.rate_list, name="rates"),
    path("billing/rates/<int:pk>/case/", rates.rate_link_case, name="rate-link-case"),
    path("billing/run/", runs.run_preview, name="run-preview"),
    path("billing/run/issue/", runs.run_issue, name="run-issue"),
    path("billing/overrides/", runs.override_set, name="override-set"),
    path("billing/overrides/<int:pk>/remove/", runs.override_remove, name="override-remove"),
    path("billing/runs/<int:pk>/", runs.run_detail, name="run-detail"),
    path("billing/runs/<int:pk>/pdf/", runs.run_pdf, name="run-pdf"),
    path("billing/runs/<int:pk>/bundle/", runs.run_bundle, name="run-bundle"),
    path("billing/runs/<int:pk>/progress.json", runs.run_progress_json, name="run-progress"),
    path("billing/runs/jobs/<int:pk>/", runs.run_job, name="run-job"),
    path("billing/runs/jobs/<int:pk>/progress.json", runs.run_job_progress, name="run-job-progress"),
    path("billing/runs/<int:pk>/csv/", runs.run_csv, name="run-csv"),
    path("billing/runs/<int:pk>/send/", runs.run_send, name="run-send"),
    path("billing/invoices/", invoices.invoice_list, name="invoice-list"),
    path("billing/invoices/<int:pk>/", invoices.invoice_detail, name="invoice-detail"),
    path("billing/invoices/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice-pdf"),
    path("billing/invoices/<int:pk>/ehf/", invoices.invoice_ehf, name="invoice-ehf"),
    path("billing/invoices/<int:pk>/send/", invoices.invoice_send, name="invoice-send"),
    path("billing/invoices/<int:pk>/remind/", invoices.invoice_remind, name="invoice-remind"),
    path("billing/invoices/<int:pk>/credit/", invoices.credit_note_create, name="credit-note-create"),
    path("billing/invoices/<int:pk>/payments/", payments.payment_create, name="payment-create"),
    path("billing/payments/<int:pk>/reverse/", payments.payment_reverse, name="payment-reverse"),
    path("billing/payments/import/", bank_files.payment_file_upload, name="payment-import"),
    path("billing/payments/import/confirm/", bank_files.payment_file_confirm, name="payment-import-confirm"),
    path("billing/references/", references.reference_list, name="references"),
    path("billing/references/<int:pk>/", references.reference_set, name="reference-set"),
]
