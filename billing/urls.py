from django.urls import path

from billing import bank_views, reference_views, views

app_name = "billing"
urlpatterns = [
    path("billing/", views.overview, name="overview"),
    path("billing/years/<int:year>/", views.year_summary, name="year-summary"),
    path("billing/settings/", views.profile_edit, name="profile"),
    path("billing/rates/", views.rate_list, name="rates"),
    path("billing/rates/<int:pk>/case/", views.rate_link_case, name="rate-link-case"),
    path("billing/run/", views.run_preview, name="run-preview"),
    path("billing/run/issue/", views.run_issue, name="run-issue"),
    path("billing/overrides/", views.override_set, name="override-set"),
    path("billing/overrides/<int:pk>/remove/", views.override_remove, name="override-remove"),
    path("billing/runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("billing/runs/<int:pk>/pdf/", views.run_pdf, name="run-pdf"),
    path("billing/runs/<int:pk>/csv/", views.run_csv, name="run-csv"),
    path("billing/runs/<int:pk>/send/", views.run_send, name="run-send"),
    path("billing/invoices/", views.invoice_list, name="invoice-list"),
    path("billing/invoices/<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("billing/invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("billing/invoices/<int:pk>/ehf/", views.invoice_ehf, name="invoice-ehf"),
    path("billing/invoices/<int:pk>/send/", views.invoice_send, name="invoice-send"),
    path("billing/invoices/<int:pk>/remind/", views.invoice_remind, name="invoice-remind"),
    path("billing/invoices/<int:pk>/credit/", views.credit_note_create, name="credit-note-create"),
    path("billing/invoices/<int:pk>/payments/", views.payment_create, name="payment-create"),
    path("billing/payments/<int:pk>/reverse/", views.payment_reverse, name="payment-reverse"),
    path("billing/payments/import/", bank_views.payment_file_upload, name="payment-import"),
    path("billing/payments/import/confirm/", bank_views.payment_file_confirm, name="payment-import-confirm"),
    path("billing/references/", reference_views.reference_list, name="references"),
    path("billing/references/<int:pk>/", reference_views.reference_set, name="reference-set"),
]
