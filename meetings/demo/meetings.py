"""Demo bodies, meetings and cases from the seeds, loaded through the services (idempotent).

From the seeds (texts as written there):
- seed 000: the mayors' meeting of KHS on Thursday 15.06.2017 10–11 at Elvebakken gård, Svensfjøsset,
  Heggeveien 5, 3403 Lier, registration by 4 June 2017, cases 1/2017, 2/2017 and 3/2017; case 1/2017
  refers to the board's case 03/2017 of its meeting 23.01.2017.
- seed 004: Regionrådet for Hallingdal's case 55/11 in Nynorsk, Ål 22.10.2011, Knut Arne Gurigard, Dagleg
  leiar, with the letter from Vestregionen of 7.10.2011 as its attachment (rendered to PDF from the seed).

Invented (demo only): the board's members, the time and place of the board meeting of 23.01.2017, the text
of board case 03/2017 beyond what seed 000 says about it, and one upcoming board meeting on the first Thursday
three weeks after the load with one case, so the dashboard has something ahead.

Case numbers: the seeds show the board's case 03/2017 and Hallingdal's 55/11, but not the cases before them.
Those series are continued from the archive (services.case_series_continue): the board's 2017 series starts
after 2 and Hallingdal's 2011 series after 54, so the demo cases get exactly the numbers of the seeds and the
next case registered in those years would follow on. The mayors' meeting's cases are 1–3 of 2017 as seeded.
"""

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from html import escape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import rules, services
from meetings.models import Case, CaseReference, Meeting
from membership.models import Body, Cooperation, Office, Person

SEEDS = Path(__file__).resolve().parents[2] / "khs" / "demo_data"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- seed 000: the mayors' meeting 15.06.2017 ------------------------------------------------------------
MAYORS_ADDRESSEE = "Til ordførere i kommuner tilsluttet Kommunehelsesamarbeidet i Vestre Viken opptaksområde."
MAYORS_MEETING = dict(
    title="Ordførermøte i Kommunehelsesamarbeidet (KHS)",
    starts_at=(date(2017, 6, 15), 10),
    ends_at=(date(2017, 6, 15), 11),
    place_name="Elvebakken gård, Svensfjøsset",
    place_address="Heggeveien 5, 3403 Lier",
    registration_deadline=(date(2017, 6, 4), 23, 59),
    contact="Kari, Vestregionen (kari@vestregionen.demo.khs.invalid)",
)
CASE_1_2017 = dict(
    title="Videreføring eller avvikling av Kommunehelsesamarbeidet 31.12.2017",
    background=_p(
        "Samarbeidsavtalen mellom de 26 kommunene i Kommunehelsesamarbeidet går ut 2017. "
        "Kommunehelsesamarbeidets styre vedtok i møte 23.01.2017, sak 03/2017, å gi styrets medlemmer i oppdrag "
        "å avklare i eget opptaksområde/region om samarbeidet skal videreføres etter 2017. Styret legger ikke opp "
        "til en ny vurdering av samarbeidet i denne prosessen, og viser til evaluering foretatt våren 2015. "
        "Kommunenes syn på videreføring eller avslutning av samarbeidet skal behandles i "
        "Kommunehelsesamarbeidets styremøte 29.05.2017.",
        "Etter at styret i Kommunehelsesamarbeidet avholdt møte i januar 2017, er Vestregionen gjort kjent med "
        "Drammen kommune og Lørenskog kommune fra og med januar 2017 er vertskap for et nytt fylkeskommunalt "
        "utviklingssenter for sykehjem og hjemmetjenester i henholdsvis Buskerud og Akershus. Tilsvarende senter "
        "vil også bli etablert i Vestfold. Senterne finansieres av øremerkede midler fra Helse- og "
        "omsorgsdepartementet, og får i oppdrag å sikre kvaliteten i hjemmetjenestene og sykehjem gjennom fag- og "
        "tjenesteutvikling, kunnskapsspredning og implementering av ny kunnskap og nye løsninger i henhold til "
        "nasjonale satsingsområder og lokale behov. Helsedirektoratet og Senter for omsorgsforskning skal følge "
        "opp med veiledning og koordinering av aktivitetene. Fylkesmannen blir en viktig samarbeidspartner, og "
        "vil koordinere prosjekt- og stimuleringsmidler. Organisering, drift og oppgaver skal konkretiseres innen "
        "påske 2017.",
        "Vestregionens sekretariat oppfatter at de nye utviklingssentrene kan få til dels sammenfallende oppgaver "
        "som Kommunehelsesamarbeidet har i dag. I tillegg gjør uklarheter knyttet til pågående kommune- og "
        "regionreformer, det vanskelig å forutsi hva som vil være hensiktsmessig framtidig organisering av "
        "samarbeidet mellom kommunene – også innen helsefeltet.",
        "Vedtatt fattet i Vestregionens styringsgruppe sak 05/2017:",
    )
    + "<blockquote>"
    + _p(
        "Styringsgruppen foreslår at Kommunehelsesamarbeidet videreføres minst ut sommeren 2018. Ordførerne i "
        "Vestre Vikens opptaksområde inviteres til møte 15.06.2017 for å ta stiling til forslag om videreføring "
        "fram til sommeren 2018, samt videre prosess med sikte på en avklaring av om samarbeidet skal videreføres "
        "eller avvikles. Administrasjonen utarbeider et bakgrunnsnotat til rådmannsgruppens møte 1. juni 2017 der "
        "forholdet til Kommunehelsesamarbeidet blir tema. Notatet bearbeides etter rådmannsmøtet og sendes til "
        "alle inviterte deltakerne (26) i ordførermøtet 15.6.2017. Notatet må begrunne hvorfor avklaring av "
        "Kommunehelsesamarbeidets videre drift bør besluttes sommeren 2018, belyse forhold som vil/kan påvirke "
        "beslutning om videreføring og/eller avslutning av samarbeidet og hvilke forhold som eventuelt må avklares "
        "før beslutning fattes. Notatet skal også inneholde forslag til hvordan diskusjonene om "
        "Kommunehelsesamarbeidet skal organiseres.",
    )
    + "</blockquote>",
    proposed_resolution=_p(
        "Kommunehelsesamarbeidet videreføres til sommeren 2018. Eventuell videre drift og organisering av "
        "Kommunehelsesamarbeidet besluttes i ordførermøtet 14.06.2018.",
    ),
)
CASE_2_2017 = dict(
    title="Forslag til kontingent 2018",
    background=_p(
        "Kommunehelsesamarbeidet finansieres i dag av en medlemskontingent på kr 2 pr Innbygger. Kontingenten "
        "finansierer en koordinator i 75% stilling. Samarbeidsstyret i Kommunehelsesamarbeidet foreslår at "
        "kontingenten f.o.m. 01.01.2018 økes til kr 2,50 pr innbygger. Økningen benyttes til å finansiere "
        "eventuelle utviklingsprosjekter knyttet til samarbeidet.",
    ),
    proposed_resolution=_p(
        "Medlemskontingenten i Kommunehelsesamarbeidet fastsettes til kr 2,50 pr innbygger f.o.m. 01.01.2018.",
    ),
)
CASE_3_2017 = dict(
    title="Presentasjon av modell for styringsinformasjon",
    kind=Case.Kind.ORIENTATION,
    background=_p(
        "Kommunene har i lengre tid etterspurt relevant informasjon knyttet til forbruk av "
        "spesialisthelsetjenester for den enkelte kommune. Vestregionen har i samarbeid med Helse Sør-Øst, Vestre "
        "Viken, kommunene og Microsoft vært med å utvikle en løsning som gir oppdatert informasjon innenfor ulike "
        "områder.",
        "Mer informasjon finnes på www.vestregionen.no styringsinformasjonsamhandling.",
    ),
    proposed_resolution=_p("Informasjonen tas til orientering."),
)

# --- the board (styret) of KHS: 23.01.2017, case 03/2017 (time, place and members invented) ------------
BOARD_MEETING = dict(
    title="Styremøte i Kommunehelsesamarbeidet",
    starts_at=(date(2017, 1, 23), 10),
    ends_at=(date(2017, 1, 23), 13),
    place_name="Vestregionens sekretariat",
    place_address="Sandvika",
)
CASE_03_2017 = dict(
    title="Videreføring av Kommunehelsesamarbeidet etter 2017",
    background=_p("Samarbeidsavtalen mellom de 26 kommunene i Kommunehelsesamarbeidet går ut 2017."),
    proposed_resolution=_p(
        "Styrets medlemmer gis i oppdrag å avklare i eget opptaksområde/region om samarbeidet "
        "skal videreføres etter 2017."
    ),
)
BOARD_MEMBERS = [  # (name, e-mail local part, office kind)
    ("Styreleder i Kommunehelsesamarbeidet", "styreleder.khs", Office.Kind.BODY_LEADER),
    ("Nestleder i styret for Kommunehelsesamarbeidet", "nestleder.khs", Office.Kind.BODY_DEPUTY_LEADER),
    ("Styremedlem for Hallingdal", "styremedlem.hallingdal", Office.Kind.BODY_MEMBER),
    ("Styremedlem for Kongsbergregionen", "styremedlem.kongsberg", Office.Kind.BODY_MEMBER),
    ("Styremedlem for Ringeriksregionen", "styremedlem.ringerike", Office.Kind.BODY_MEMBER),
    ("Varamedlem til styret i Kommunehelsesamarbeidet", "varamedlem.khs", Office.Kind.BODY_SUBSTITUTE),
]
UPCOMING_CASE = dict(
    title="Orientering om arbeidet i Kommunehelsesamarbeidet",
    kind=Case.Kind.ORIENTATION,
    background=_p("Koordinatoren orienterer om arbeidet siden forrige møte. (Demo: sak laget av load_demo.)"),
    proposed_resolution=_p("Informasjonen tas til orientering."),
)

# --- seed 004: Regionrådet for Hallingdal, case 55/11 (Nynorsk) -----------------------------------------
CASE_55_11 = dict(
    title="Deltaking i Kommunehelsesamarbeidet i Vestre Viken",
    background=_p(
        "Kommunehelsesamarbeidet i Vestre Viken vart etablert som eit 2-årig prosjekt, ut 2011, og omfattar 26 "
        "kommunar. Kommunane som har delteke i kommunehelsesamarbeidet, men som ikkje er ein del av "
        "Vestregionsamarbeidet, blir i brev dat. 7.10.2011 (vedlegg 1), invitert til framleis deltaking i 2012. "
        "Deltakaravgift er sett til kr. 2,- pr. innbyggjar. I løpet av fyrste halvår 2012 skal det vurderast kva "
        "form kommunehelsesamarbeidet bør ha på lang sikt.",
        "Vestregion (www.vestregionen.no) er eit regionalt samarbeid mellom 16 kommunar rett vest for Oslo, inkl. "
        "Akershus og Buskerud fylkeskommune.",
    ),
    assessment=_p(
        "Kommunehelsesamarbeidet representerer ei befolkning på 450 000 innbyggjarar og er ein aktør det blir "
        "lytta til. Etter dagleg leiar sitt syn er det fornuftig og nødvendig med eit sterkt samarbeid innan "
        "helsesektoren. Med bakgrunn i utfordringar og endringar innan helsesektoren er det spesielt viktig at "
        "kommunane og Hallingdal som region følgjer med, og deltek i dei fora som kan ha ei reell påverking.",
    ),
    proposed_resolution=_p(
        "Regionrådet for Hallingdal rår kommunane i Hallingdal til å vidareføre deltaking i "
        "Kommunehelsesamarbeidet i Vestre Viken i 2012.",
    ),
    signer_name="Knut Arne Gurigard",
    signer_title="Dagleg leiar",
    document_place="Ål",
    document_date=date(2011, 10, 22),
)
LETTER_TITLE = "Brev frå Vestregionen dat. 7.10.2011"


def _when(value):
    return _at(*value) if value else None


def _body(cooperation, actor, name, **fields) -> Body:
    body = Body.objects.filter(cooperation=cooperation, name=name).first()
    return body or services.body_create(cooperation=cooperation, actor=actor, name=name, **fields)


def _meeting(body, actor, spec) -> Meeting:
    starts_at = _when(spec["starts_at"])
    meeting = Meeting.objects.filter(body=body, starts_at=starts_at).first()
    if meeting is None:
        fields = {k: v for k, v in spec.items() if k not in ("starts_at", "ends_at", "registration_deadline")}
        meeting = services.meeting_create(
            body=body,
            actor=actor,
            starts_at=starts_at,
            ends_at=_when(spec.get("ends_at")),
            registration_deadline=_when(spec.get("registration_deadline")),
            **fields,
        )
    return meeting


def _case(body, actor, number, year, registered_at, spec, meeting=None) -> Case:
    case = Case.objects.filter(body=body, year=year, number=number).first()
    if case is None:
        case = services.case_register(body=body, actor=actor, meeting=meeting, registered_at=registered_at, **spec)
        assert case.number == number, f"demo expected {body.case_label(number, year)}, got {case.label}"
    return case


def _series_from_archive(body, actor, year, last_number):
    if not Case.objects.filter(body=body, year=year).exists():
        services.case_series_continue(body=body, year=year, last_number=last_number, actor=actor)


def _status(meeting, actor, *targets):
    for target in targets:
        meeting.refresh_from_db()
        if target in rules.TRANSITIONS[Meeting.Status(meeting.status)]:
            services.meeting_status_set(meeting=meeting, actor=actor, status=target)


def _board_members(board):
    for name, local, kind in BOARD_MEMBERS:
        person, _created = Person.objects.get_or_create(email=f"{local}@demo.khs.invalid", defaults={"name": name})
        Office.objects.get_or_create(person=person, kind=kind, body=board, starts_on=date(2016, 1, 1))


@lru_cache(maxsize=1)
def _letter_pdf_bytes() -> bytes:
    """The letter of 7.10.2011 as the seed gives it, rendered to a small PDF (once per process)."""
    from weasyprint import HTML

    text = (SEEDS / "seed_004_hallingdal_sak_55_11.txt").read_text(encoding="utf-8")
    letter = text.split("Vedlegg: " + LETTER_TITLE, 1)[-1].strip()
    paragraphs = [re.sub(r"\s+", " ", block).strip() for block in re.split(r"\n\s*\n", letter) if block.strip()]
    html = (
        "<html lang='nb'><head><meta charset='utf-8'><title>" + escape(LETTER_TITLE) + "</title>"
        "<style>body{font-family:sans-serif;font-size:11pt}</style></head><body>"
        + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        + "</body></html>"
    )
    return HTML(string=html).write_pdf()


def load() -> str:
    actor = get_user_model().objects.filter(username="sekretariat").first()
    khs = Cooperation.objects.get(short_name="KHS")
    hallingdal = Cooperation.objects.get(short_name="Regionrådet Hallingdal")

    mayors = _body(
        khs,
        actor,
        "Ordførermøtet",
        kind=Body.Kind.MAYORS_MEETING,
        case_number_format="{n}/{yyyy}",
        language="nb",
        invite_mode=Body.InviteMode.MEMBER_MAYORS,
        addressee=MAYORS_ADDRESSEE,
    )
    board = _body(
        khs,
        actor,
        "Styret",
        kind=Body.Kind.BOARD,
        case_number_format="{n:02}/{yyyy}",
        language="nb",
        invite_mode=Body.InviteMode.MEMBERS,
    )
    council = _body(
        hallingdal,
        actor,
        "Regionrådet",
        kind=Body.Kind.REGIONAL_COUNCIL,
        case_number_format="{n}/{yy}",
        language="nn",
        invite_mode=Body.InviteMode.MEMBER_MAYORS,
    )
    _board_members(board)

    # The board, 23.01.2017: case 03/2017 (held).
    board_meeting = _meeting(board, actor, BOARD_MEETING)
    _series_from_archive(board, actor, 2017, 2)
    case_03 = _case(board, actor, 3, 2017, _at(date(2017, 1, 10), 12), CASE_03_2017, meeting=board_meeting)
    _status(board_meeting, actor, Meeting.Status.SUMMONED, Meeting.Status.HELD)

    # The mayors' meeting, 15.06.2017: the 26 mayors, cases 1–3/2017 (summoned, as in seed 000).
    mayors_meeting = _meeting(mayors, actor, MAYORS_MEETING)
    registered = _at(date(2017, 5, 22), 12)
    case_1 = _case(mayors, actor, 1, 2017, registered, CASE_1_2017, meeting=mayors_meeting)
    _case(mayors, actor, 2, 2017, registered + timedelta(minutes=5), CASE_2_2017, meeting=mayors_meeting)
    _case(mayors, actor, 3, 2017, registered + timedelta(minutes=10), CASE_3_2017, meeting=mayors_meeting)
    if not CaseReference.objects.filter(case=case_1, earlier_case=case_03).exists():
        services.case_reference_add(
            case=case_1,
            earlier_case=case_03,
            actor=actor,
            note="Styret ga medlemmene i oppdrag å avklare i eget opptaksområde/region om "
            "samarbeidet skal videreføres etter 2017.",
        )
    _status(mayors_meeting, actor, Meeting.Status.SUMMONED)

    # Regionrådet for Hallingdal, case 55/11 with the letter as its attachment (not yet on a meeting).
    _series_from_archive(council, actor, 2011, 54)
    case_55 = _case(council, actor, 55, 2011, _at(date(2011, 10, 22), 12), CASE_55_11)
    if not case_55.attachments.exists():
        letter = ContentFile(_letter_pdf_bytes(), name="brev-fra-vestregionen-2011-10-07.pdf")
        services.case_attachment_add(case=case_55, actor=actor, file=letter, title=LETTER_TITLE)

    # One board meeting ahead, so the dashboard has something upcoming.
    now = timezone.now()
    if not board.meetings.filter(starts_at__gte=now).exists():
        day = timezone.localdate(now) + timedelta(days=21)
        day += timedelta(days=(3 - day.weekday()) % 7)  # on a Thursday, like the seeds' meetings
        while (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 3):
            day += timedelta(days=7)  # not in the Christmas weeks, when no board meets
        upcoming = services.meeting_create(
            body=board,
            actor=actor,
            title="Styremøte i Kommunehelsesamarbeidet",
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            place_name="Vestregionens sekretariat",
            place_address="Sandvika",
            registration_deadline=_at(day - timedelta(days=7), 23, 59),
            contact=MAYORS_MEETING["contact"],
        )
        services.case_register(body=board, actor=actor, meeting=upcoming, **UPCOMING_CASE)

    return (
        f"{Body.objects.count()} bodies, {Meeting.objects.count()} meetings, {Case.objects.count()} cases "
        f"({mayors_meeting.invitees.count()} invited to the mayors' meeting)"
    )
