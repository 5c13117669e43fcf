"""The member list of the current cooperation, its memberships and the invitations to join."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from khs.lib.access import perm_required
from khs.lib.dates import format_date
from khs.lib.downloads import content_disposition, file_stem
from membership import exports, services
from membership.exceptions import MembershipError
from membership.forms import InvitationAnswerForm, InvitationForm, MemberListForm, MembershipEndForm, MembershipForm
from membership.models import Membership, MembershipInvitation, Municipality
from membership.scope import cooperation_required, get_for_cooperation_or_404
from membership.selectors import SORT_KEYS, member_list, population_years


def _member_list_for(request, cooperation):
    """The list the query string asks for: ?on=2018-01-01&year=2017&sort=-population."""
    today = timezone.localdate()
    years = population_years()
    form = MemberListForm(request.GET if "on" in request.GET else None, years=years, initial={"on": today, "year": ""})
    day, year = today, None
    if form.is_bound and form.is_valid():
        day, year = form.cleaned_data["on"], form.cleaned_data["year"]
    sort = request.GET.get("sort", "number")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "number"
    return form, member_list(cooperation, day, population_year=year, sort=sort), sort


@require_GET
@perm_required("membership.view_membership")
@cooperation_required
def member_list_view(request, cooperation):
    form, members, sort = _member_list_for(request, cooperation)
    query = request.GET.copy()
    query.pop("sort", None)
    columns = [
        ("number", _("Kommunenr.")),
        ("name", _("Kommune")),
        ("population", _("Innbyggere")),
        ("mayor", _("Ordfører")),
    ]
    headers = []
    for key, label in columns:
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        query["sort"] = f"-{key}" if active and not descending else key
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + query.urlencode(),
                "active": active,
                "aria_sort": ("descending" if descending else "ascending") if active else None,
            }
        )
    export_query = request.GET.urlencode()
    return render(
        request,
        "membership/member_list.html",
        {
            "form": form,
            "members": members,
            "headers": headers,
            "export_query": export_query,
            "total_line": exports.total_line(members, "nb"),
        },
    )


@require_GET
@perm_required("membership.view_membership")
@cooperation_required
def member_list_export(request, cooperation, fmt):
    _form, members, _sort = _member_list_for(request, cooperation)
    lang = cooperation.language
    stem = f"medlemmer-{file_stem(cooperation.short_name)}-{members.day.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(exports.member_list_csv(members, lang), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.member_list_xlsx(members, lang),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition(f"{stem}.{fmt}")
    return response


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_membership")
@cooperation_required
def membership_create(request, cooperation):
    initial = {}
    if request.GET.get("municipality", "").isdigit():
        initial["municipality"] = request.GET["municipality"]
    form = MembershipForm(request.POST or None, cooperation=cooperation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_create(
                cooperation=cooperation,
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("%(m)s er registrert som medlem fra %(day)s.")
                % {"m": membership.municipality, "day": format_date(membership.starts_on)},
            )
            return redirect("membership:municipality-detail", pk=membership.municipality_id)
    return render(request, "membership/membership_form.html", {"form": form, "cooperation": cooperation})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_membership")
@cooperation_required
def membership_update(request, cooperation, pk):
    membership = get_for_cooperation_or_404(
        Membership.objects.select_related("municipality", "cooperation"), cooperation, pk=pk
    )
    form = MembershipForm(request.POST or None, cooperation=cooperation, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                actor=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Medlemskapet er endret."))
            return redirect("membership:municipality-detail", pk=membership.municipality_id)
    return render(request, "membership/membership_form.html", {"form": form, "membership": membership})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_membership")
@cooperation_required
def membership_end(request, cooperation, pk):
    membership = get_for_cooperation_or_404(
        Membership.objects.select_related("municipality", "cooperation"), cooperation, pk=pk
    )
    form = MembershipEndForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, ends_on=form.cleaned_data["ends_on"], actor=request.user)
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("Medlemskapet til %(m)s slutter %(day)s.")
                % {"m": membership.municipality, "day": format_date(form.cleaned_data["ends_on"])},
            )
            return redirect("membership:municipality-detail", pk=membership.municipality_id)
    return render(request, "membership/membership_end.html", {"form": form, "membership": membership})


@require_GET
@perm_required("membership.view_membershipinvitation")
@cooperation_required
def invitation_list(request, cooperation):
    invitations = (
        MembershipInvitation.objects.filter(cooperation=cooperation)
        .select_related("municipality", "membership")
        .order_by("-sent_on", "letter_title", "municipality__number")
    )
    letters = {}
    for invitation in invitations:
        letters.setdefault((invitation.sent_on, invitation.letter_title), []).append(invitation)
    return render(
        request,
        "membership/invitation_list.html",
        {"letters": [{"sent_on": k[0], "title": k[1], "invitations": v} for k, v in letters.items()]},
    )


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_membershipinvitation")
@cooperation_required
def invitation_create(request, cooperation):
    form = InvitationForm(request.POST or None, municipalities=Municipality.objects.order_by("number", "valid_from"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitations = services.membership_invitation_create(
                cooperation=cooperation,
                actor=request.user,
                municipalities=data["municipalities"],
                letter_title=data["letter_title"],
                sent_on=data["sent_on"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("%(n)s kommuner er registrert som invitert.") % {"n": len(invitations)})
            return redirect("membership:invitation-list")
    return render(request, "membership/invitation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_membershipinvitation")
@cooperation_required
def invitation_answer(request, cooperation, pk):
    invitation = get_for_cooperation_or_404(
        MembershipInvitation.objects.select_related("municipality", "cooperation"), cooperation, pk=pk
    )
    if invitation.answer != MembershipInvitation.Answer.PENDING:
        messages.info(request, _("%(m)s har allerede svart.") % {"m": invitation.municipality})
        return redirect("membership:invitation-list")
    form = InvitationAnswerForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accepted = data["answer"] == MembershipInvitation.Answer.ACCEPTED
        try:
            services.membership_invitation_answer(
                invitation=invitation,
                accepted=accepted,
                answered_on=data["answered_on"],
                reference=data["reference"],
                note=data["note"],
                actor=request.user,
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            if accepted:
                messages.success(
                    request,
                    _("%(m)s takket ja og er medlem fra %(day)s.")
                    % {"m": invitation.municipality, "day": format_date(invitation.starts_on)},
                )
            else:
                messages.success(request, _("%(m)s takket nei.") % {"m": invitation.municipality})
            return redirect("membership:invitation-list")
    return render(request, "membership/invitation_answer.html", {"form": form, "invitation": invitation})
