from django.urls import path

from meetings import views_summons as views

app_name = "summons"
urlpatterns = [
    path("meetings/<int:pk>/summons/", views.summons_panel, name="panel"),
    path("meetings/<int:pk>/summons/send/", views.summons_send, name="send"),
    path("meetings/<int:pk>/summons/resend/", views.summons_resend, name="resend"),
    path("meetings/<int:pk>/summons/supplementary/", views.summons_supplementary, name="supplementary"),
    path("meetings/<int:pk>/summons/cancel-notice/", views.summons_cancel_notice, name="cancel_notice"),
    path("meetings/<int:pk>/summons.pdf", views.summons_pdf, name="summons_pdf"),
    path("meetings/<int:pk>/supplementary.pdf", views.supplementary_pdf, name="supplementary_pdf"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("cases/<int:pk>/document.pdf", views.case_document_pdf, name="case_document_pdf"),
    path("summons/dispatches/<int:pk>/document.pdf", views.dispatch_document, name="dispatch_document"),
    path("calendar/", views.calendar_links, name="calendar_links"),
    path("calendar/body/<str:token>.ics", views.body_feed, name="body_feed"),
    path("calendar/person/<str:token>.ics", views.person_feed, name="person_feed"),
]
