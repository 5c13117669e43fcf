"""Public pages (innsyn), the decision register, the open-data API, and the secretariat's follow-up pages."""

from django.urls import path

from publishing.api import views as api
from publishing.feeds import DocumentsFeed
from publishing.views import public, staff

app_name = "publishing"
urlpatterns = [
    path("innsyn/", public.index, name="index"),
    path("innsyn/samarbeid/<str:short_name>/", public.cooperation_detail, name="cooperation_detail"),
    path("innsyn/organ/<int:pk>/", public.body_detail, name="body_detail"),
    path("innsyn/organ/<int:pk>/kalender.ics", public.body_calendar_ics, name="body_calendar"),
    path("innsyn/mote/<int:pk>/", public.meeting_detail, name="meeting_detail"),
    path("innsyn/mote/<int:pk>/innkalling.pdf", public.summons_pdf, name="summons_pdf"),
    path("innsyn/mote/<int:pk>/protokoll.pdf", public.minutes_pdf, name="minutes_pdf"),
    path("innsyn/sak/<int:pk>/", public.case_detail, name="case_detail"),
    path("innsyn/sak/<int:pk>/saksframlegg.pdf", public.case_document_pdf, name="case_document_pdf"),
    path("innsyn/sak/<int:pk>/vedlegg/<int:attachment_pk>/", public.case_attachment, name="case_attachment"),
    path("innsyn/vedtak/", public.register, name="register"),
    path("innsyn/feed.atom", DocumentsFeed(), name="feed"),
    # open data (OParl 1.1 shaped)
    path("api/oparl/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/oparl/v1/system", api.system, name="api_system"),
    path("api/oparl/v1/bodies", api.body_list, name="api_body_list"),
    path("api/oparl/v1/body/<int:pk>", api.body_detail, name="api_body"),
    path("api/oparl/v1/body/<int:pk>/organizations", api.organization_list, name="api_organization_list"),
    path("api/oparl/v1/body/<int:pk>/meetings", api.meeting_list, name="api_meeting_list"),
    path("api/oparl/v1/body/<int:pk>/papers", api.paper_list, name="api_paper_list"),
    path("api/oparl/v1/organization/<int:pk>", api.organization_detail, name="api_organization"),
    path("api/oparl/v1/meeting/<int:pk>", api.meeting_detail, name="api_meeting"),
    path("api/oparl/v1/agendaitem/<int:pk>", api.agenda_item_detail, name="api_agenda_item"),
    path("api/oparl/v1/paper/<int:pk>", api.paper_detail, name="api_paper"),
    path("api/oparl/v1/consultation/<int:pk>", api.consultation_detail, name="api_consultation"),
    path("api/oparl/v1/file/<str:pk>", api.file_detail, name="api_file"),
    # the secretariat: publishing settings, follow-ups, member decisions, archive export
    path("cases/<int:pk>/publication/", staff.case_publication, name="case_publication"),
    path("meetings/<int:pk>/publication/", staff.meeting_publication, name="meeting_publication"),
    path("follow-ups/", staff.follow_up_list, name="follow_up_list"),
    path("cases/<int:pk>/follow-ups/new/", staff.follow_up_create, name="follow_up_create"),
    path("follow-ups/<int:pk>/edit/", staff.follow_up_update, name="follow_up_update"),
    path("cases/<int:pk>/member-decisions/", staff.member_decision_list, name="member_decision_list"),
    path("member-decisions/<int:pk>/record/", staff.member_decision_record, name="member_decision_record"),
    path("bodies/<int:pk>/archive/<int:year>.zip", staff.archive_export, name="archive_export"),
]
