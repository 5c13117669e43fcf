from django.urls import path

from membership.views import cooperations, members, municipalities, people, population

app_name = "membership"
urlpatterns = [
    path("members/", members.member_list_view, name="member-list"),
    path("members/export.<str:fmt>", members.member_list_export, name="member-list-export"),
    path("memberships/new/", members.membership_create, name="membership-create"),
    path("memberships/<int:pk>/edit/", members.membership_update, name="membership-update"),
    path("memberships/<int:pk>/end/", members.membership_end, name="membership-end"),
    path("invitations/", members.invitation_list, name="invitation-list"),
    path("invitations/new/", members.invitation_create, name="invitation-create"),
    path("invitations/<int:pk>/answer/", members.invitation_answer, name="invitation-answer"),
    path("cooperations/", cooperations.cooperation_list, name="cooperation-list"),
    path("cooperations/new/", cooperations.cooperation_create, name="cooperation-create"),
    path("cooperation/", cooperations.cooperation_detail, name="cooperation-detail"),
    path("cooperation/edit/", cooperations.cooperation_update, name="cooperation-update"),
    path("cooperation/staff/", cooperations.cooperation_staff, name="cooperation-staff"),
    path("cooperation/agreements/new/", cooperations.agreement_create, name="agreement-create"),
    path("cooperation/agreements/<int:pk>/edit/", cooperations.agreement_update, name="agreement-update"),
    path("municipalities/", municipalities.municipality_list, name="municipality-list"),
    path("municipalities/new/", municipalities.municipality_create, name="municipality-create"),
    path("municipalities/merge/", municipalities.municipality_merge, name="municipality-merge"),
    path("municipalities/<int:pk>/", municipalities.municipality_detail, name="municipality-detail"),
    path("municipalities/<int:pk>/edit/", municipalities.municipality_update, name="municipality-update"),
    path("municipalities/<int:pk>/contact/", municipalities.member_contact_update, name="member-contact-update"),
    path("people/", people.person_list, name="person-list"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", people.person_update, name="person-update"),
    path("offices/new/", people.office_create, name="office-create"),
    path("offices/<int:pk>/edit/", people.office_update, name="office-update"),
    path("offices/<int:pk>/end/", people.office_end, name="office-end"),
    path("population/import/", population.population_import, name="population-import"),
    path("population/import/confirm/", population.population_import_confirm, name="population-import-confirm"),
]
