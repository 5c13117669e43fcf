"""Every page of the meetings app, in one namespace ("meetings:")."""

from django.urls import path

from meetings.views import attendance, cases, meetings, minutes, summons

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
    path("cases/<int:pk>/import/", cases.case_text_import, name="case_text_import"),
    path("cases/<int:pk>/register/", cases.case_number_give, name="case_number_give"),
    path("cases/<int:pk>/delete/", cases.case_delete, name="case_delete"),
    path("meetings/<int:pk>/agenda/finalise/", meetings.agenda_finalise, name="agenda_finalise"),
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
    path("summons/dispatches/<int:pk>/", summons.dispatch_detail, name="dispatch_detail"),
    path("summons/dispatches/<int:pk>/progress.json", summons.dispatch_progress_json, name="dispatch_progress"),
    path("summons/dispatches/<int:pk>/resend-failed/", summons.dispatch_resend_failed, name="dispatch_resend_failed"),
    path("calendar/", summons.calendar_links, name="calendar_links"),
    path("calendar/body/<str:token>.ics", summons.body_feed, name="body_feed"),
    path("calendar/person/<str:token>.ics", summons.person_feed, name="person_feed"),
    # attendance: the personal link, a member's meetings, the secretariat's pages
    path("attend/<str:token>/", attendance.answer, name="attendance_answer"),
    path("attend/<str:token>/documents/<int:pk>/", attendance.answer_document, name="attendance_answer_document"),
    path("attend/<str:token>/documents/summons.pdf", attendance.answer_summons, name="attendance_answer_summons"),
    path(
        "attend/<str:token>/documents/case-<int:pk>.pdf",
        attendance.answer_case_document,
        name="attendance_answer_case_document",
    ),
    path("my/meetings/<int:invitee_pk>/documents/summons.pdf", attendance.my_summons, name="attendance_my_summons"),
    path(
        "my/meetings/<int:invitee_pk>/documents/case-<int:pk>.pdf",
        attendance.my_case_document,
        name="attendance_my_case_document",
    ),
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
    # minutes (protokoll): the clerk's draft, approval, the PDF, the signers' personal link
    path("bodies/<int:pk>/minutes-settings/", minutes.body_minutes_settings, name="body_minutes_settings"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_detail, name="minutes_detail"),
    path("meetings/<int:pk>/minutes/start/", minutes.minutes_start, name="minutes_start"),
    path("meetings/<int:pk>/minutes/header/", minutes.minutes_header, name="minutes_header"),
    path("meetings/<int:pk>/minutes/items/add/", minutes.minutes_item_add, name="minutes_item_add"),
    path(
        "meetings/<int:pk>/minutes/participants/add/", minutes.minutes_participant_add, name="minutes_participant_add"
    ),
    path("meetings/<int:pk>/minutes/items/<int:item_pk>/", minutes.minutes_item, name="minutes_item"),
    path(
        "meetings/<int:pk>/minutes/items/<int:item_pk>/proposals/add/",
        minutes.minutes_proposal_add,
        name="minutes_proposal_add",
    ),
    path(
        "meetings/<int:pk>/minutes/items/<int:item_pk>/disqualifications/add/",
        minutes.minutes_disqualification_add,
        name="minutes_disqualification_add",
    ),
    path(
        "meetings/<int:pk>/minutes/items/<int:item_pk>/extract/",
        minutes.minutes_extract_send,
        name="minutes_extract_send",
    ),
    path("meetings/<int:pk>/minutes/submit/", minutes.minutes_submit, name="minutes_submit"),
    path("meetings/<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("minutes/<int:pk>/sign/<str:token>/", minutes.minutes_sign, name="minutes_sign"),
    path("minutes/<int:pk>/sign/<str:token>/minutes.pdf", minutes.minutes_sign_pdf, name="minutes_sign_pdf"),
]
