"""python manage.py import_payments FILE [--cooperation KHS] [--user okonomi] [--dry-run]

Reads a bank file (camt.054 or OCR Giro), registers every payment whose KID matches an open invoice
(the same service as the treasurer's upload page), and prints what was registered, flagged and left
for manual matching. The cooperation is the one whose account the file is for, unless given.
Exits with code 1 and the errors by line or entry when the file cannot be imported (nothing is).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from billing.errors import BillingError
from billing.payment_import import payment_file_import, payment_file_plan, payment_file_read
from billing.selectors import billing_profile_for
from khs.lib.money import format_money
from membership.models import Cooperation


def plain(text: str) -> str:
    return str(text).replace("\xa0", " ")


def _digits(account: str) -> str:
    return "".join(ch for ch in account if ch.isdigit())[-11:]


class Command(BaseCommand):
    help = "Import incoming payments from a bank file (camt.054 or OCR Giro), matched to invoices by KID."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The bank's file")
        parser.add_argument("--cooperation", help="Short name, e.g. KHS (default: the owner of the file's account)")
        parser.add_argument("--user", help="Username recorded as the actor in the audit trail")
        parser.add_argument("--dry-run", action="store_true", help="Only show what the file would register")

    def handle(self, *args, file, cooperation, user, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Ukjent bruker: {user}")
        try:
            coop = self._cooperation(cooperation, data)
            if dry_run:
                plan = payment_file_plan(cooperation=coop, data=data)
            else:
                plan = payment_file_import(cooperation=coop, data=data, filename=path.name, actor=actor)
        except BillingError as exc:
            raise CommandError("\n".join([plain(exc.message), *(f"  {d}" for d in exc.details)])) from exc
        for row in plan.rows:
            invoice = row.invoice.number if row.invoice else "-"
            self.stdout.write(
                plain(
                    f"{row.payment.where:<28} {row.payment.paid_on:%d.%m.%Y} KID {row.payment.kid or '-':<25} "
                    f"{invoice:<10} {format_money(row.payment.amount):>16}  {row.label}"
                    + (f" ({row.note})" if row.note else "")
                )
            )
        verb = "ville blitt registrert" if dry_run else "registrert"
        self.stdout.write(
            plain(f"{len(plan.to_register)} innbetalinger {verb}, {format_money(plan.total_registered)}; ")
            + f"{len(plan.manual)} til manuell behandling; {len(plan.skipped)} allerede registrert."
        )

    def _cooperation(self, short_name, data):
        if short_name:
            coop = Cooperation.objects.filter(short_name__iexact=short_name).first()
            if coop is None:
                raise CommandError(f"Ukjent samarbeid: {short_name}")
            return coop
        account = _digits(payment_file_read(data).account)
        owners = [
            c for c in Cooperation.objects.all() if account and _digits(billing_profile_for(c).account) == account
        ]
        if len(owners) != 1:
            raise CommandError(
                f"Finner ikke ett samarbeid med kontoen {account or '(ingen konto i filen)'}; bruk --cooperation."
            )
        return owners[0]
