"""Attendance: the personal answer link, a member's meetings, and the secretariat's pages under a meeting."""

from django.urls import path

from meetings import views_attendance as views

app_name = "attendance"
urlpatterns = [
    path("attend/<str:token>/", views.answer, name="answer"),
    path("attend/<str:token>/documents/<int:pk>/", views.answer_document, name="answer-document"),
    path("my/meetings/", views.my_meetings, name="my-meetings"),
    path("my/meetings/<int:invitee_pk>/", views.my_answer, name="my-answer"),
    path("my/meetings/<int:invitee_pk>/documents/<int:pk>/", views.my_document, name="my-document"),
    path("attendance/", views.index, name="index"),
    path("meetings/<int:pk>/attendance/", views.overview, name="overview"),
    path("meetings/<int:pk>/attendance/remind/", views.remind, name="remind"),
    path("meetings/<int:pk>/attendance/<int:invitee_pk>/answer/", views.clerk_answer, name="clerk-answer"),
    path("meetings/<int:pk>/attendance/participants.pdf", views.participants_pdf, name="participants-pdf"),
    path("meetings/<int:pk>/attendance/participants.csv", views.participants_csv, name="participants-csv"),
    path("meetings/<int:pk>/attendance/check-in/", views.check_in, name="check-in"),
    path("meetings/<int:pk>/attendance/check-in/<int:invitee_pk>/", views.check_in_mark, name="check-in-mark"),
]
