"""Demo users, one per role; passwords are printed by load_demo (demo only, never production)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from khs.roles import ADMINISTRATOR, SECRETARIAT, TREASURER, roles_sync

DEMO_USERS = [
    # username, password, full name, role, is_staff (admin site)
    ("admin", "demo-admin-2017", "Ada Administrator", ADMINISTRATOR, True),
    ("sekretariat", "demo-sekretariat-2017", "Kari Sekretær", SECRETARIAT, False),
    ("okonomi", "demo-okonomi-2017", "Terje Kasserer", TREASURER, False),
]


def demo_users_load() -> list[tuple[str, str, str]]:
    """Create (or reset) the demo staff users; returns (username, password, role) rows."""
    roles_sync()
    User = get_user_model()
    rows = []
    for username, password, full_name, role, is_staff in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, _sep, user.last_name = full_name.partition(" ")
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        rows.append((username, password, role))
    return rows
