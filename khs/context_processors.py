from khs.lib.access import is_staff_role, member_person
from khs.roles import user_roles
from membership.scope import current_cooperation, staff_cooperations


def khs(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": set()}
    context = {"roles": user_roles(user), "member_person": member_person(user)}
    if is_staff_role(user):
        context["cooperation"] = current_cooperation(request)
        context["cooperations"] = list(staff_cooperations(user).order_by("name").only("id", "name", "short_name"))
    return context
