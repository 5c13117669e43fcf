"""python manage.py import_population FILE: population figures from SSB table 07459 or a plain CSV.

All or nothing: any bad line stops the import, every error is listed by line number, the exit code
is 1 and nothing is saved. A re-import lists the figures it changes (each change is audited)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khs.lib.money import format_number
from membership.exceptions import MembershipError
from membership.services import population_import_file


class Command(BaseCommand):
    help = (
        "Importer innbyggertall fra SSB-tabell 07459 (CSV som lastet ned) eller en CSV med "
        "kommunenummer,year,population. Alt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV-fil")
        parser.add_argument("--source", default="SSB tabell 07459", help="Kilden som lagres med tallene")
        parser.add_argument("--dry-run", action="store_true", help="Vis hva som ville blitt lagret, uten å lagre")

    def handle(self, *args, file, source, dry_run, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Kan ikke lese {file}: {error.strerror}") from error
        try:
            parsed, result = population_import_file(
                data=data, source=source, actor=None, dry_run=dry_run, actor_label="import_population"
            )
        except MembershipError as error:
            errors = error.line_errors or [(0, error.message)]
            for line, message in errors:
                self.stderr.write(f"{file}, linje {line}: {message}" if line else f"{file}: {message}")
            raise CommandError(f"Ingenting ble lagret: {len(errors)} feil i {file}.") from error

        for line, message in parsed.skipped:
            self.stdout.write(f"hoppet over linje {line}: {message}")
        for change in result.updated:
            self.stdout.write(
                f"endret {change.municipality} {change.year}: {format_number(change.old)} -> "
                f"{format_number(change.new)}"
            )
        for change in result.created:
            self.stdout.write(f"ny     {change.municipality} {change.year}: {format_number(change.new)}")
        verb = "Ville lagret" if dry_run else "Lagret"
        self.stdout.write(self.style.SUCCESS(f"{verb} ({parsed.layout}, kilde «{source}»): {result.summary()}."))
