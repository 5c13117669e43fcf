"""Load the world of the seeds, idempotently: run it twice and nothing is duplicated."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from khs.demo import demo_users_load

# Each app loads its own part of the demo, in this order (later parts read earlier ones).
DEMO_MODULES = ["membership.demo", "meetings.demo", "meetings.demo.attendance", "billing.demo"]


class Command(BaseCommand):
    help = "Load the demo data of the seeds (cooperations, members, meetings, invoices) and demo users."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = demo_users_load()
            for name in DEMO_MODULES:
                module = import_module(name)
                summary = module.load()
                if summary:
                    self.stdout.write(f"{name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo users (demo only):"))
        for username, password, role in users:
            self.stdout.write(f"  {role:<14} username: {username:<12} password: {password}")
        self.stdout.write(
            "  Members (mayors) sign in with a one-time link: /login/link/ "
            "(e.g. ordforer.lier@demo.khs.invalid; the link is printed in this console)."
        )
