"""Meetings to summon in the summons tests, among them the mayors' meeting of seed 000, built from its text."""

import re
from pathlib import Path

from django.conf import settings

from membership.models import Body
from tests import factories as f

SEED_000 = Path(settings.BASE_DIR) / "khs" / "demo_data" / "seed_000_ordforermote_2017.txt"
ADDRESSEE = "Til ordførere i kommuner tilsluttet Kommunehelsesamarbeidet i Vestre Viken opptaksområde"


def squash(text: str) -> str:
    """Whitespace made single spaces, so text wrapped across PDF lines compares with the source."""
    return re.sub(r"\s+", " ", text).strip()


def seed_000_cases() -> list[dict]:
    """The three cases of seed 000: number, title, background paragraphs and proposed resolution."""
    text = SEED_000.read_text(encoding="utf-8")
    paragraphs = [squash(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    cases, current = [], None
    for para in paragraphs:
        head = re.match(r"^Sak (\d+)/2017\s*(.*)$", para)
        if head:
            current = {"number": int(head.group(1)), "title": head.group(2), "background": [], "proposal": ""}
            cases.append(current)
        elif current is None:
            continue
        elif not current["title"]:
            current["title"] = para
        elif para == "Forslag til vedtak:":
            current["proposal"] = None  # the next paragraph
        elif current["proposal"] is None:
            current["proposal"] = para
        elif para.startswith("Påmelding innen"):
            break
        elif not current["proposal"]:
            current["background"].append(para)
    return cases


def seed_000_meeting(coop, **fields):
    """The mayors' meeting of 15.06.2017 with the three cases of seed 000 (texts from the seed file)."""
    coop.name = "Kommunehelsesamarbeidet i Vestre Viken"
    coop.contact_email = "kari@vestregionen.no"
    coop.save()
    body = f.make_body(coop, name="Ordførermøtet", addressee=ADDRESSEE)
    meeting = f.make_meeting(
        body,
        title="Ordførermøte i Kommunehelsesamarbeidet (KHS)",
        starts_at=f.aware(2017, 6, 15, 10),
        ends_at=f.aware(2017, 6, 15, 11),
        place_name="Elvebakken gård, Svensfjøsset",
        place_address="Heggeveien 5, 3403 Lier",
        registration_deadline=f.aware(2017, 6, 4, 23, 59),
        contact="Kari, kari@vestregionen.no",
        **fields,
    )
    for position, case in enumerate(seed_000_cases(), 1):
        f.make_case_row(
            body,
            case["number"],
            meeting=meeting,
            agenda_position=position,
            title=case["title"],
            background="".join(f"<p>{p}</p>" for p in case["background"]),
            proposed_resolution=f"<p>{case['proposal']}</p>",
        )
    return meeting


def nynorsk_case(coop):
    """Case 55/11 of Regionrådet for Hallingdal, as seed 004 (Nynorsk)."""
    body = f.make_body(
        coop,
        name="Regionrådet for Hallingdal",
        language="nn",
        kind=Body.Kind.REGIONAL_COUNCIL,
        case_number_format="{n}/{yy}",
    )
    meeting = f.make_meeting(
        body,
        title="Regionrådsmøte",
        starts_at=f.aware(2011, 10, 27, 9),
        ends_at=f.aware(2011, 10, 27, 15),
        place_name="Ål kulturhus",
        place_address="",
        registration_deadline=None,
        status="summoned",
    )
    case = f.make_case_row(
        body,
        55,
        year=2011,
        meeting=meeting,
        title="Deltaking i Kommunehelsesamarbeidet i Vestre Viken",
        background="<p>Kommunehelsesamarbeidet i Vestre Viken vart etablert som eit 2-årig prosjekt, ut 2011, "
        "og omfattar 26 kommunar.</p>",
        assessment="<p>Kommunehelsesamarbeidet representerer ei befolkning på 450 000 innbyggjarar.</p>",
        proposed_resolution="<p>Regionrådet for Hallingdal rår kommunane i Hallingdal til å vidareføre deltaking i "
        "Kommunehelsesamarbeidet i Vestre Viken i 2012.</p>",
        signer_name="Knut Arne Gurigard",
        signer_title="",
        document_place="Ål",
        document_date=f.aware(2011, 10, 22).date(),
    )
    return case


def invite(meeting, count=3, *, without_email=0):
    """`count` invitees with an address and `without_email` without one."""
    people = [f.make_invitee(meeting, name=f"Ordfører {n}") for n in range(count)]
    people += [f.make_invitee(meeting, name=f"Uten e-post {n}", email="") for n in range(without_email)]
    return people


WORDS = (
    "kommune samarbeid helsetjeneste styret ordfører vedtak innbygger tjenesteutvikling region avtale "
    "kontingent møte rådmann sykehjem omsorg spesialisthelsetjeneste fylkesmann prosjekt"
).split()


def filler(n_words: int, seed: int) -> str:
    """Norwegian-looking text of about n_words words in paragraphs, with bold text and a list."""
    out, i = [], seed
    while n_words > 0:
        size = min(n_words, 60)
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(size)]
        i += 1
        out.append(f"<p>{' '.join(words).capitalize()} <strong>{WORDS[i % len(WORDS)]}</strong>.</p>")
        n_words -= size
    out.append("<ul><li>første punkt</li><li>andre punkt</li></ul>")
    return "".join(out)


def long_meeting(coop, n_cases: int, words_per_case: int):
    """A meeting with many cases of varying length (page breaks fall in many places)."""
    body = f.make_body(coop, name="Styret")
    meeting = f.make_meeting(body, title="Styremøte")
    for n in range(1, n_cases + 1):
        f.make_case_row(
            body,
            n,
            meeting=meeting,
            agenda_position=n,
            title=f"Tittel på sak nummer {n}",
            background=f"<p>Begynnelsen{n} av saken.</p>" + filler(words_per_case + n * 37 % 180, n),
            proposed_resolution=f"<p>Vedtak i sak {n}.</p>",
        )
    return meeting


def document_text(data: bytes) -> str:
    """The text of a PDF without its running header and page footer, whitespace squashed (a paragraph
    that runs over a page break reads as one)."""
    import io

    from pypdf import PdfReader

    kept = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for line in (page.extract_text() or "").splitlines():
            if re.search(r"Side \d+ av \d+$", line) or re.match(
                r"^(Innkalling|Tilleggsinnkalling|Saksframlegg) · ", line
            ):
                continue
            kept.append(line)
    return squash("\n".join(kept))
