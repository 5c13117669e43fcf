"""Every page of the meetings app, in one namespace ("meetings:")."""

from django.urls import path

from meetings.views import attendance, cases, meetings, summons

app_name = "meetings"
urlpatterns = [
    # bodies and meetings
    path("bodies/", meetings.body_list, name="body_list"),
    path("bodies/new/", meetings.body_create, name="body_create"),
    path("bodies/<int:pk>/", meetings.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", meetings.body_update, name="body_update"),
    path("bodies/<int:body_pk>/cases/new/", cases.case_create, name="body_case_create"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/status/", meetings.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/invitees/add/", meetings.meeting_invitee_add, name="meeting_invitee_add"),
    path("meetings/<int:pk>/invitees/reset/", meetings.meeting_invitees_reset, name="meeting_invitees_reset"),
    path(
        "meetings/<int:pk>/invitees/<int:invitee_pk>/remove/",
        meetings.meeting_invitee_remove,
        name="meeting_invitee_remove",
    ),
    path("meetings/<int:pk>/agenda/", meetings.agenda_reorder, name="agenda_reorder"),
    path("meetings/<int:meeting_pk>/cases/new/", cases.case_create, name="case_create"),
    # cases
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_update, name="case_update"),
    path("cases/<int:pk>/withdraw/", cases.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/move/", cases.case_move, name="case_move"),
    path("cases/<int:pk>/attachments/add/", cases.case_attachment_add, name="case_attachment_add"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        cases.case_attachment_download,
        name="case_attachment_download",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/remove/",
        cases.case_attachment_remove,
        name="case_attachment_remove",
    ),
    path("cases/<int:pk>/references/add/", cases.case_reference_add, name="case_reference_add"),
    path(
        "cases/<int:pk>/references/<int:reference_pk>/remove/",
        cases.case_reference_remove,
        name="case_reference_remove",
    ),
    # summons, documents and calendars
    path("meetings/<int:pk>/summons/", summons.summons_panel, name="summons_panel"),
    path("meetings/<int:pk>/summons/send/", summons.summons_send, name="summons_send"),
    path("meetings/<int:pk>/summons/resend/", summons.summons_resend, name="summons_resend"),
    path("meetings/<int:pk>/summons/supplementary/", summons.summons_supplementary, name="summons_supplementary"),
    path("meetings/<int:pk>/summons/cancel-notice/", summons.summons_cancel_notice, name="summons_cancel_notice"),
    path("meetings/<int:pk>/summons.pdf", summons.summons_pdf, name="summons_pdf"),
    path("meetings/<int:pk>/supplementary.pdf", summons.supplementary_pdf, name="supplementary_pdf"),
    path("meetings/<int:pk>/meeting.ics", summons.meeting_ics, name="meeting_ics"),
    path("cases/<int:pk>/document.pdf", summons.case_document_pdf, name="case_document_pdf"),
    path("summons/dispatches/<int:pk>/document.pdf", summons.dispatch_document, name="dispatch_document"),
    path("calendar/", summons.calendar_links, name="calendar_links"),
    path("calendar/body/<str:token>.ics", summons.body_feed, name="body_feed"),
    path("calendar/person/<str:token>.ics", summons.person_feed, name="person_feed"),
    # attendance: the personal link, a member's meetings, the secretariat's pages
    path("attend/<str:token>/", attendance.answer, name="attendance_answer"),
    path("attend/<str:token>/documents/<int:pk>/", attendance.answer_document, name="attendance_answer_document"),
    path("my/meetings/", attendance.my_meetings, name="attendance_my_meetings"),
    path("my/meetings/<int:invitee_pk>/", attendance.my_answer, name="attendance_my_answer"),
    path("my/meetings/<int:invitee_pk>/documents/<int:pk>/", attendance.my_document, name="attendance_my_document"),
    path("attendance/", attendance.index, name="attendance_index"),
    path("meetings/<int:pk>/attendance/", attendance.overview, name="attendance_overview"),
    path("meetings/<int:pk>/attendance/remind/", attendance.remind, name="attendance_remind"),
    path(
        "meetings/<int:pk>/attendance/<int:invitee_pk>/answer/", attendance.clerk_answer, name="attendance_clerk_answer"
    ),
    path(
        "meetings/<int:pk>/attendance/participants.pdf", attendance.participants_pdf, name="attendance_participants_pdf"
    ),
    path(
        "meetings/<int:pk>/attendance/participants.csv", attendance.participants_csv, name="attendance_participants_csv"
    ),
    path("meetings/<int:pk>/attendance/check-in/", attendance.check_in, name="attendance_check_in"),
    path(
        "meetings/<int:pk>/attendance/check-in/<int:invitee_pk>/",
        attendance.check_in_mark,
        name="attendance_check_in_mark",
    ),
]
