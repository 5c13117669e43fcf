"""The staff roles: groups with permissions, kept in step with the models at every migrate."""

from fnmatch import fnmatch

from django.utils.translation import gettext_lazy as _

SECRETARIAT = "Secretariat"
TREASURER = "Treasurer"
ADMINISTRATOR = "Administrator"

ROLE_LABELS = {SECRETARIAT: _("Sekretariat"), TREASURER: _("Økonomi"), ADMINISTRATOR: _("Administrator")}

# Patterns over "app_label.codename"; every new model's permissions follow automatically.
ROLE_PERMISSIONS = {
    SECRETARIAT: ["membership.*", "meetings.*", "billing.view_*", "khs.view_*"],
    TREASURER: ["billing.*", "membership.view_*", "meetings.view_*", "khs.view_*"],
    ADMINISTRATOR: ["*"],
}
# What a pattern above gives but the role must not have: a municipality's installation-wide facts
# (number, name, organisasjonsnummer, mergers) are the administrators' (membership/access.py).
ROLE_EXCLUDED = {
    SECRETARIAT: [
        "membership.add_cooperation",  # giving staff a cooperation is an administrator's act
        "membership.add_municipality",
        "membership.change_municipality",
        "membership.delete_municipality",
        "membership.add_region",
        "membership.change_region",
        "membership.delete_region",
    ],
}
APPS_WITH_ROLES = {"khs", "membership", "meetings", "billing", "auth"}


def roles_sync():
    """Create the role groups and give each exactly the permissions its patterns match."""
    from django.contrib.auth.models import Group, Permission

    perms = list(Permission.objects.filter(content_type__app_label__in=APPS_WITH_ROLES).select_related("content_type"))
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        excluded = ROLE_EXCLUDED.get(role, [])
        wanted = [
            p
            for p in perms
            if any(fnmatch(f"{p.content_type.app_label}.{p.codename}", pat) for pat in patterns)
            and not any(fnmatch(f"{p.content_type.app_label}.{p.codename}", pat) for pat in excluded)
        ]
        group.permissions.set(wanted)


def roles_sync_on_migrate(sender, **kwargs):
    if sender.label in APPS_WITH_ROLES:
        # Permissions of an app exist once its post_migrate has run; sync after each of ours.
        roles_sync()


def user_roles(user) -> set[str]:
    """The user's roles. Read once per user object, as Django keeps a user's permissions (each request loads its
    user afresh): a page asks for them in its access check, its menu and its cooperation switcher."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {ADMINISTRATOR, SECRETARIAT, TREASURER}
    names = getattr(user, "_khs_roles", None)
    if names is None:
        names = frozenset(g.name for g in user.groups.all())
        if ADMINISTRATOR in names:
            names |= {SECRETARIAT, TREASURER}
        user._khs_roles = names
    return set(names)
