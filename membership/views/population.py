"""Population figures from a file: upload, see what would change, then save (all or nothing)."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from khs.lib.access import perm_required
from membership import services
from membership.exceptions import MembershipError
from membership.forms import PopulationUploadForm
from membership.population_files import PopulationRow
from membership.scope import cooperation_required

SALT = "membership.population_import"
MAX_AGE = 60 * 60  # an hour between preview and saving


def _rows_token(rows: list[PopulationRow], source: str, filename: str) -> str:
    """The checked rows travel to the confirm step signed, so what is saved is exactly what was shown."""
    payload = {"source": source, "filename": filename, "rows": [[r.line, r.number, r.year, r.count] for r in rows]}
    return signing.dumps(payload, salt=SALT, compress=True)


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_population", "membership.change_population")
@cooperation_required
def population_import(request, cooperation):
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    line_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed, preview = services.population_import_file(
                data=upload.read(),
                source=form.cleaned_data["source"],
                actor=request.user,
                dry_run=True,
                cooperation_id=cooperation.pk,
            )
        except MembershipError as error:
            line_errors = error.line_errors
            if line_errors:
                form.add_error(
                    "file",
                    _("Filen ble ikke lest inn, og ingenting er lagret: %(n)s feil, se listen over skjemaet.")
                    % {"n": len(line_errors)},
                )
            else:
                error.add_to_form(form)
        else:
            return render(
                request,
                "membership/population_preview.html",
                {
                    "preview": preview,
                    "parsed": parsed,
                    "filename": upload.name,
                    "token": _rows_token(parsed.rows, form.cleaned_data["source"], upload.name),
                },
            )
    return render(request, "membership/population_import.html", {"form": form, "line_errors": line_errors})


@require_POST
@perm_required("membership.add_population", "membership.change_population")
@cooperation_required
def population_import_confirm(request, cooperation):
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("Forhåndsvisningen er for gammel eller ugyldig. Last opp filen på nytt."))
        return redirect("membership:population-import")
    rows = [
        PopulationRow(line=line, number=number, year=year, count=count) for line, number, year, count in payload["rows"]
    ]
    try:
        result = services.population_import(
            rows=rows, source=payload["source"], actor=request.user, cooperation_id=cooperation.pk
        )
    except MembershipError as error:
        # The register changed since the preview (a municipality removed or renumbered): nothing saved.
        messages.error(
            request,
            error.message
            + " "
            + "; ".join(
                _("linje %(line)s: %(message)s") % {"line": line, "message": message}
                for line, message in error.line_errors[:20]
            ),
        )
        return redirect("membership:population-import")
    messages.success(
        request,
        _("Innbyggertallene fra %(file)s er lagret: %(summary)s.")
        % {"file": payload["filename"], "summary": result.summary()},
    )
    year = result.years[-1]
    return redirect(reverse("membership:member-list") + f"?on={year}-01-01&year={year}")
