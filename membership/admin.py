from django.contrib import admin

from khs.admin import AuditedModelAdmin
from membership import models


@admin.register(models.Cooperation)
class CooperationAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "org_number"]
    filter_horizontal = ["staff"]


@admin.register(models.Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "county", "org_number", "valid_from", "valid_to"]
    search_fields = ["number", "name"]


@admin.register(models.Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["municipality", "cooperation", "starts_on", "ends_on"]
    list_filter = ["cooperation"]


@admin.register(models.Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["name", "email", "phone"]
    search_fields = ["name", "email"]


@admin.register(models.Office)
class OfficeAdmin(AuditedModelAdmin):
    list_display = ["person", "kind", "municipality", "body", "starts_on", "ends_on"]
    list_filter = ["kind"]


@admin.register(models.Population)
class PopulationAdmin(AuditedModelAdmin):
    list_display = ["municipality", "year", "count", "source"]
    list_filter = ["year"]


@admin.register(models.MembershipInvitation)
class MembershipInvitationAdmin(AuditedModelAdmin):
    list_display = ["municipality", "cooperation", "letter_title", "sent_on", "answer", "answered_on"]
    list_filter = ["cooperation", "answer"]


@admin.register(models.Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["municipalities"]


admin.site.register(models.CooperationAgreement, AuditedModelAdmin)

# Body (a membership model) is registered in meetings/admin.py: its admin asks the case-number rule there.
