"""python manage.py export_noark5 --cooperation KHS --body Ordførermøtet --year 2017 out.zip"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.models import Body
from publishing.archive import export_zip


class Command(BaseCommand):
    help = "Export a body's meetings of one year as a Noark 5 (møtemappe) zip for the municipal archive."

    def add_arguments(self, parser):
        parser.add_argument("--cooperation", required=True, help="short name, e.g. KHS")
        parser.add_argument("--body", required=True, help="the body's name")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("output")

    def handle(self, *args, **options):
        body = Body.objects.filter(cooperation__short_name=options["cooperation"], name__iexact=options["body"]).first()
        if body is None:
            raise CommandError("No such body in that cooperation.")
        data = export_zip(body, options["year"])
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"{options['output']}: {len(data)} bytes")
