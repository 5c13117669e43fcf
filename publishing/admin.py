from django.contrib import admin

from khs.admin import AuditedModelAdmin
from publishing.models import CasePublication, FollowUp, MeetingPublication, MemberDecision


@admin.register(CasePublication)
class CasePublicationAdmin(AuditedModelAdmin):
    list_display = ["case", "public_title", "publish_from", "exempt", "legal_basis"]
    raw_id_fields = ["case"]


@admin.register(MeetingPublication)
class MeetingPublicationAdmin(AuditedModelAdmin):
    list_display = ["meeting", "publish_from"]
    raw_id_fields = ["meeting"]


@admin.register(FollowUp)
class FollowUpAdmin(AuditedModelAdmin):
    list_display = ["case", "responsible", "deadline", "status"]
    list_filter = ["status"]
    raw_id_fields = ["case"]


@admin.register(MemberDecision)
class MemberDecisionAdmin(AuditedModelAdmin):
    list_display = ["case", "municipality", "requested_on", "decided_on", "outcome"]
    raw_id_fields = ["case", "invitation", "extract"]
