from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_update, name="body_update"),
    path("bodies/<int:body_pk>/cases/new/", views.case_create, name="body_case_create"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/invitees/add/", views.meeting_invitee_add, name="meeting_invitee_add"),
    path("meetings/<int:pk>/invitees/reset/", views.meeting_invitees_reset, name="meeting_invitees_reset"),
    path(
        "meetings/<int:pk>/invitees/<int:invitee_pk>/remove/",
        views.meeting_invitee_remove,
        name="meeting_invitee_remove",
    ),
    path("meetings/<int:pk>/agenda/", views.agenda_reorder, name="agenda_reorder"),
    path("meetings/<int:meeting_pk>/cases/new/", views.case_create, name="case_create"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_update, name="case_update"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/move/", views.case_move, name="case_move"),
    path("cases/<int:pk>/attachments/add/", views.case_attachment_add, name="case_attachment_add"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        views.case_attachment_download,
        name="case_attachment_download",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.case_attachment_remove,
        name="case_attachment_remove",
    ),
    path("cases/<int:pk>/references/add/", views.case_reference_add, name="case_reference_add"),
    path(
        "cases/<int:pk>/references/<int:reference_pk>/remove/",
        views.case_reference_remove,
        name="case_reference_remove",
    ),
]
