"""python manage.py invoice_run --cooperation KHS --year 2018 [--issue] [--pro-rata 0626] [--send]

Prints the preview table; exits with code 1 and the blockers when anything stops the run.
With --issue the invoices are issued here, the way the worker issues a run ordered on the web page
(billing/services/runs.py: an InvoiceRunJob, every EHF validated, then one issuing transaction);
--send e-mails them.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing import selectors, services
from billing.errors import BillingError
from khs.lib.money import format_money, format_number
from membership.models import Cooperation


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


class Command(BaseCommand):
    help = "Preview (and with --issue, issue) the yearly contribution invoices of a cooperation."

    def add_arguments(self, parser):
        parser.add_argument("--cooperation", required=True, help="Short name, e.g. KHS")
        parser.add_argument("--year", required=True, type=int, help="Contribution year, e.g. 2018")
        parser.add_argument("--issue", action="store_true", help="Issue the invoices (otherwise only preview)")
        parser.add_argument(
            "--pro-rata",
            action="append",
            default=[],
            metavar="KOMMUNENUMMER",
            help="Bill this member pro rata by months (repeatable)",
        )
        parser.add_argument("--send", action="store_true", help="After issuing, send the run's invoices")
        parser.add_argument("--user", help="Username recorded as the actor in the audit trail")

    def handle(self, *args, cooperation, year, issue, pro_rata, send, user, **options):
        coop = Cooperation.objects.filter(short_name__iexact=cooperation).first()
        if coop is None:
            raise CommandError(f"Ukjent samarbeid: {cooperation}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Ukjent bruker: {user}")
        try:
            preview = selectors.run_preview(cooperation=coop, year=year, today=timezone.localdate())
            numbers = {row.municipality.number: row.municipality.pk for row in preview.rows}
            unknown = [n for n in pro_rata if n not in numbers]
            if unknown:
                raise CommandError(f"Ikke medlem i {year}: {', '.join(unknown)}")
            chosen = {numbers[n] for n in pro_rata}
            if chosen:
                preview = selectors.run_preview(
                    cooperation=coop, year=year, today=timezone.localdate(), pro_rata=chosen
                )
        except BillingError as exc:
            raise CommandError(str(exc)) from exc
        self._print(preview)
        if preview.all_blockers:
            self.stderr.write("Fakturakjøringen kan ikke starte før dette er rettet:")
            for blocker in preview.all_blockers:
                self.stderr.write(f"  - {blocker.message}")
            raise CommandError("Blokkert.", returncode=1)
        if not issue:
            return
        if not preview.to_issue:
            self.stdout.write(f"Alle medlemmer er allerede fakturert for {year}; ingenting å utstede.")
            return
        try:
            run = services.invoice_run_issue_here(
                cooperation=coop,
                year=year,
                actor=actor,
                pro_rata=chosen,
                actor_label=actor.get_username() if actor else "manage.py invoice_run",
            )
        except BillingError as exc:
            raise CommandError(str(exc)) from exc
        numbers = list(run.invoices.order_by("series_number").values_list("number", flat=True))
        self.stdout.write(
            self.style.SUCCESS(
                f"Utstedt {run.invoice_count} fakturaer {numbers[0]}–{numbers[-1]}, {plain(format_money(run.total))}."
            )
        )
        if send:
            transmissions = services.invoice_run_send(run=run, actor=actor)
            failed = [t for t in transmissions if not t.ok]
            self.stdout.write(f"Sendt: {len(transmissions) - len(failed)}, ikke sendt: {len(failed)}")
            for t in failed:
                self.stderr.write(f"  - {t.invoice.number}: {t.detail}")

    def _print(self, preview):
        rate = preview.rate
        self.stdout.write(f"{preview.cooperation.name} – kontingent {preview.year}")
        citation = f", jf. vedtak i {rate.citation}" if rate.citation else " (mangler henvisning til vedtak)"
        self.stdout.write(
            f"Sats kr {plain(format_number(rate.per_inhabitant, decimals=2))} per innbygger{citation}; "
            f"innbyggertall per 1.1.{preview.population_year}"
        )
        self.stdout.write("")
        self.stdout.write(f"{'Nr':<5} {'Kommune':<26} {'Innbyggere':>11} {'Mnd':>4} {'Beløp':>16}  Merknad")
        for row in preview.rows:
            if row.invoice:
                count, amount, note = row.invoice.quantity, row.invoice.net_amount, f"fakturert {row.invoice.number}"
            else:
                count, amount = row.inhabitants, row.amount
                notes = [b.message for b in row.blockers]
                if row.override:
                    notes.append(f"overstyrt: {row.override.reason}")
                if row.predecessor_names:
                    notes.append("sum av " + ", ".join(row.predecessor_names))
                if row.part_year:
                    notes.append(
                        f"medlem {row.months_member} mnd. i året"
                        + (" (forholdsmessig)" if row.pro_rata else " (helt år)")
                    )
                note = "; ".join(notes)
            self.stdout.write(
                f"{row.municipality.number:<5} {row.municipality.name[:26]:<26} "
                f"{plain(format_number(count)) if count else '–':>11} {row.months:>4} "
                f"{plain(format_money(amount)) if amount is not None else '–':>16}  {note}"
            )
        self.stdout.write("")
        self.stdout.write(
            f"{preview.member_count} kommuner, {plain(format_number(preview.inhabitants))} innbyggere, "
            f"{plain(format_money(preview.total))}"
        )
        for warning in preview.warnings:
            self.stdout.write(f"Merk: {warning}")
