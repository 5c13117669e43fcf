"""Importing population figures: all or nothing, by service, command and browser upload."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from khs.models import AuditEntry
from membership.exceptions import MembershipError
from membership.models import Population
from membership.population_files import PopulationRow
from membership.services import population_import, population_import_preview
from tests import factories as f
from tests.membership.conftest import data_file


def as_staff(user):
    """A clerk acts for the cooperation they are given (its id goes to the service and its audit trail)."""
    return {"actor": user, "cooperation_id": user.cooperations.get().pk}


def _rows(*items):
    return [PopulationRow(line=i + 2, number=n, year=y, count=c) for i, (n, y, c) in enumerate(items)]


# --- The service --------------------------------------------------------------------------------------


def test_import_saves_figures_with_their_source(municipalities, clerk, coop):
    result = population_import(
        rows=_rows(("0602", 2017, 68363), ("0626", 2017, 25740)),
        source="SSB tabell 07459",
        **as_staff(clerk),
    )
    assert len(result.created) == 2
    drammen = Population.objects.get(municipality=municipalities["drammen"], year=2017)
    assert (drammen.count, drammen.source) == (68363, "SSB tabell 07459")
    entry = AuditEntry.objects.get(verb="population_import", action="event")
    assert entry.cooperation_id == coop.pk
    assert entry.changes["0602 2017"] == [None, 68363]


def test_one_bad_row_saves_nothing_and_every_error_is_listed(municipalities, clerk):
    rows = _rows(
        ("0602", 2017, 68363),
        ("9999", 2017, 10),
        ("0626", 2017, 25740),
        ("0626", 2017, 25741),
        ("0617", 2017, -3),
        ("06", 2017, 5),
    )
    with pytest.raises(MembershipError) as caught:
        population_import(rows=rows, source="SSB", **as_staff(clerk))
    assert [line for line, _m in caught.value.line_errors] == [3, 5, 6, 7]
    messages = dict(caught.value.line_errors)
    assert messages[3] == "Kommunenummer 9999 finnes ikke i registeret."
    assert "også på linje 4" in messages[5]
    assert "negativt" in messages[6]
    assert "«06» er ikke et gyldig kommunenummer" in messages[7]
    assert not Population.objects.exists()
    assert not AuditEntry.objects.filter(verb="population_import").exists()


def test_a_number_that_did_not_exist_that_year_is_refused(clerk, db):
    f.make_municipality("0602", "Drammen", valid_to=date(2019, 12, 31))
    with pytest.raises(MembershipError) as caught:
        population_import(rows=_rows(("0602", 2021, 101859)), source="SSB", **as_staff(clerk))
    assert caught.value.line_errors == [(2, "Kommunenummer 0602 (Drammen) fantes ikke 1.1.2021.")]


def test_a_reused_number_goes_to_the_municipality_valid_that_year(administrator, db):
    old = f.make_municipality("1234", "Gammel", valid_to=date(2019, 12, 31))
    new = f.make_municipality("1234", "Ny", valid_from=date(2020, 1, 1))
    population_import(rows=_rows(("1234", 2019, 100), ("1234", 2020, 200)), source="SSB", actor=administrator)
    assert Population.objects.get(year=2019).municipality == old
    assert Population.objects.get(year=2020).municipality == new


def test_reimport_shows_and_audits_what_changes(municipalities, clerk):
    f.make_population(municipalities["drammen"], 2017, 68000, source="Foreløpige tall")
    f.make_population(municipalities["lier"], 2017, 25740)
    rows = _rows(("0602", 2017, 68363), ("0626", 2017, 25740), ("0617", 2017, 4612))
    preview = population_import_preview(rows=rows, source="SSB tabell 07459")
    assert [(c.municipality.number, c.old, c.new, c.delta) for c in preview.updated] == [("0602", 68000, 68363, 363)]
    assert Population.objects.get(municipality=municipalities["drammen"]).count == 68000  # a preview saves nothing

    result = population_import(rows=rows, source="SSB tabell 07459", **as_staff(clerk))
    assert result.summary() == "1 nye, 1 endret, 1 uendret"
    drammen = Population.objects.get(municipality=municipalities["drammen"], year=2017)
    assert (drammen.count, drammen.source) == (68363, "SSB tabell 07459")
    entry = AuditEntry.objects.get(verb="population_import", action="update")
    assert entry.object_id == str(drammen.pk)
    assert entry.changes == {"count": [68000, 68363], "source": ["Foreløpige tall", "SSB tabell 07459"]}


def test_source_is_required(municipalities, clerk):
    with pytest.raises(MembershipError) as caught:
        population_import(rows=_rows(("0602", 2017, 68363)), source=" ", **as_staff(clerk))
    assert caught.value.field_errors == {"source": ["Oppgi kilden til tallene, f.eks. «SSB tabell 07459»."]}


# --- The command --------------------------------------------------------------------------------------


def test_command_imports_an_ssb_download(municipalities, capsys):
    call_command("import_population", str(data_file("ssb_07459_by_age_2017.csv")))
    assert Population.objects.get(municipality=municipalities["lier"], year=2017).count == 25740
    out = capsys.readouterr().out
    assert "ny     0626 Lier 2017: 25\xa0740" in out
    assert "Lagret (ssb-long, kilde «SSB tabell 07459»): 3 nye, 0 endret, 0 uendret." in out
    assert AuditEntry.objects.get(verb="population_import").actor_label == "import_population"


def test_command_refuses_a_broken_ssb_file_with_every_line_and_exit_code_1(municipalities, capsys):
    path = str(data_file("ssb_07459_broken.csv"))
    with pytest.raises(CommandError) as caught:
        call_command("import_population", path)
    assert caught.value.returncode == 1  # what manage.py exits with
    err = capsys.readouterr().err
    for line in (5, 6, 8, 10, 11):
        assert f"{path}, linje {line}:" in err
    assert "linje 11: Kommunenummer 9999 finnes ikke i registeret." in err  # the register's check is listed too
    assert str(caught.value) == f"Ingenting ble lagret: 5 feil i {path}."
    assert not Population.objects.exists()


def test_command_reimport_lists_changes(municipalities, capsys):
    f.make_population(municipalities["drammen"], 2017, 68000)
    call_command("import_population", str(data_file("plain_2017.csv")), "--source", "SSB 07459 (2018-utgaven)")
    out = capsys.readouterr().out
    assert "endret 0602 Drammen 2017: 68\xa0000 -> 68\xa0363" in out
    assert Population.objects.get(municipality=municipalities["drammen"]).source == "SSB 07459 (2018-utgaven)"


def test_command_dry_run_saves_nothing(municipalities, capsys):
    call_command("import_population", str(data_file("ssb_07459_wide.csv")), "--dry-run")
    assert "Ville lagret (ssb-wide" in capsys.readouterr().out
    assert not Population.objects.exists()


def test_command_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Kan ikke lese"):
        call_command("import_population", str(tmp_path / "finnes-ikke.csv"))


# --- The browser upload -------------------------------------------------------------------------------

URL = "/population/import/"


def _upload(name, content=None):
    content = content if content is not None else data_file(name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_upload_shows_a_preview_and_saves_only_on_confirm(clerk_client, municipalities, coop):
    f.make_population(municipalities["gol"], 2017, 4600)
    response = clerk_client.post(URL, {"file": _upload("ssb_07459_by_age_2017.csv"), "source": "SSB tabell 07459"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kontroller før lagring" in page
    assert "2 nye, 1 endret, 0 uendret" in page
    assert "4\xa0600" in page and "4\xa0612" in page and "+12" in page
    assert Population.objects.count() == 1  # nothing saved yet

    token = response.context["token"]
    response = clerk_client.post("/population/import/confirm/", {"token": token})
    assert response.status_code == 302
    assert response["Location"] == "/members/?on=2017-01-01&year=2017"
    assert Population.objects.get(municipality=municipalities["gol"]).count == 4612
    assert Population.objects.count() == 3
    assert AuditEntry.objects.get(verb="population_import", action="event").cooperation_id == coop.pk


def test_upload_of_a_broken_file_lists_every_line_and_saves_nothing(clerk_client, municipalities):
    response = clerk_client.post(URL, {"file": _upload("ssb_07459_broken.csv"), "source": "SSB tabell 07459"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Filen ble ikke lest inn, og ingenting er lagret: 5 feil" in page
    for line in (5, 6, 8, 10, 11):
        assert f"Linje {line}:" in page
    assert not Population.objects.exists()


def test_upload_without_a_file_shows_the_field_error(clerk_client, municipalities):
    response = clerk_client.post(URL, {"source": "SSB"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_tampered_preview_is_refused(clerk_client, municipalities):
    response = clerk_client.post("/population/import/confirm/", {"token": "forged"}, follow=True)
    assert "Forhåndsvisningen er for gammel eller ugyldig" in response.content.decode()
    assert not Population.objects.exists()


def test_confirm_refuses_get(clerk_client):
    assert clerk_client.get("/population/import/confirm/").status_code == 405


def test_treasurer_cannot_import(treasurer_client, municipalities):
    assert treasurer_client.get(URL).status_code == 403
    response = treasurer_client.post(URL, {"file": _upload("plain_2017.csv"), "source": "SSB"})
    assert response.status_code == 403
    assert not Population.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    assert client.get(URL)["Location"].startswith("/login/")


def test_a_binary_file_given_as_population_import_is_named_as_such(clerk_client, municipalities):
    xlsx_like = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4
    response = clerk_client.post(URL, {"file": _upload("07459.xlsx", xlsx_like), "source": "SSB tabell 07459"})
    page = response.content.decode()
    assert "Dette er ikke en CSV- eller tekstfil." in page
    assert "ABCDEFGHIJKLMNOPQRSTUVWXYZ" not in page  # not its bytes (the file holds every byte value in a row)
    assert not Population.objects.exists()
