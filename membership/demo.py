"""Demo register for the seeds' world: KHS with its 26 members, Vestregionen, Regionrådet for Hallingdal.

Official: kommunenummer and names of 2017, the reforms of 1.1.2020 and 1.1.2024 (khs/demo_data/
municipalities.csv), population on 1.1.2012 and 1.1.2017 (SSB table 07459), the letter of 7.10.2011
inviting the ten municipalities outside Vestregionen to continue in 2012, and Hallingdal's SAK 55/11.
Invented and marked as demo: organisation numbers (valid check digits), addresses, every person and
e-mail address, the municipalities' own council references, membership start dates before 2010, the
start of the agreement period (1.1.2012). Population after 2017 is left out rather than invented;
the municipalities of 2020 and 2024 get their predecessors' official 2012 and 2017 figures summed, with
a source that says "Avledet …" (Population.derived), except Holmestrand, of which the register holds
only the part that was Sande.

Loading twice changes nothing: every step looks for what it would create first.
"""

import csv
import re
import unicodedata
from datetime import date
from pathlib import Path

from stdnum.no import orgnr

from khs.lib.dates import format_date
from membership.models import (
    Cooperation,
    CooperationAgreement,
    Membership,
    MembershipInvitation,
    Municipality,
    Office,
    Person,
    Population,
    Region,
)

DATA = Path(__file__).resolve().parent.parent / "khs" / "demo_data"
HALLINGDAL = ["0615", "0616", "0617", "0618", "0619", "0620"]
# Invited by the letter of 7.10.2011: KHS members outside Vestregionen (seed 004's distribution list).
INVITED_2011 = ["0620", "0618", "0619", "0617", "0616", "0615", "0633", "0632", "0631", "0604"]
COUNTY_2017 = {"02": "Akershus", "06": "Buskerud", "07": "Vestfold", "05": "Oppland"}
COUNTY_2020 = {"30": "Viken", "38": "Vestfold og Telemark"}
COUNTY_2024 = {"32": "Akershus", "33": "Buskerud", "39": "Vestfold"}
REGIONS = {  # demo grouping of the register's municipalities (2017 numbers)
    "Hallingdal": HALLINGDAL,
    "Kongsbergregionen": ["0604", "0631", "0632", "0633"],
    "Ringeriksregionen": ["0605", "0612", "0532"],
    "Midt-Buskerud": ["0623", "0621", "0622"],
    "Drammensregionen": ["0602", "0626", "0625", "0624", "0713", "0711"],
}
LETTER_2011 = "Invitasjon til fortsatt deltagelse i Kommunehelsesamarbeidet i Vestre Viken"
KHS_START, PROJECT_END, CONTINUED = date(2010, 1, 1), date(2011, 12, 31), date(2012, 1, 1)
REFORM_2020, REFORM_2024 = date(2020, 1, 1), date(2024, 1, 1)
TERM_2011, TERM_2015, TERM_2019 = date(2011, 10, 1), date(2015, 10, 1), date(2019, 11, 1)


def slug(text: str) -> str:
    text = text.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum())


def demo_org_number(seed: int) -> str:
    """A made-up organisation number with a valid MOD11 check digit (demo data only)."""
    base = 990_000_000 + seed * 10
    for candidate in range(base, base + 10):
        if orgnr.is_valid(str(candidate)):
            return str(candidate)
    return demo_org_number(seed + 1)


def _invoice_fields(name: str, seed: int) -> dict:
    return dict(
        org_number=demo_org_number(seed),
        invoice_street="Postboks 1",
        invoice_postcode="3000",
        invoice_city=name,
        invoice_email=f"faktura.{slug(name)}@demo.khs.invalid",
    )


def _person(kind: str, name: str, nynorsk: bool) -> Person:
    label, prefix = ("Ordfører", "ordforer") if kind == Office.Kind.MAYOR else ("Varaordfører", "varaordforer")
    person, _ = Person.objects.get_or_create(
        email=f"{prefix}.{slug(name)}@demo.khs.invalid",
        defaults={"name": f"{label} i {name}", "language": "nn" if nynorsk else "nb"},
    )
    return person


def _load_2017_municipalities() -> dict[str, Municipality]:
    municipalities = {}
    with open(DATA / "municipalities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            number = row["kommunenummer_2017"]
            name = row["name_2017"].replace(" (Buskerud)", "").replace(" (Vestfold)", "")
            municipalities[number], _ = Municipality.objects.get_or_create(
                number=number,
                valid_from=None,
                defaults=dict(name=name, county=COUNTY_2017[number[:2]], **_invoice_fields(name, int(number))),
            )
    return municipalities


def _reforms() -> list[dict]:
    """[{"old": "0220", "new2020": "3025", "name2020": "Asker", "new2024": "3203", "name2024": "Asker"}, …]"""
    reforms = []
    with open(DATA / "municipalities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            new2020 = re.search(r"(\d{4})(?:\s+([^(]+))?", row["from_2020"])
            new2024 = re.search(r"(\d{4})(?:\s+([^(]+))?", row["from_2024"])
            name = row["name_2017"].replace(" (Buskerud)", "").replace(" (Vestfold)", "")
            reforms.append(
                {
                    # "-> 3802 Holmestrand" with no "(merged)" row: it joined a municipality outside the data.
                    "joined": row["from_2020"].startswith("->"),
                    "old": row["kommunenummer_2017"],
                    "old_name": name,
                    "new2020": new2020.group(1),
                    "name2020": (new2020.group(2) or name).strip(),
                    "new2024": new2024.group(1),
                    "name2024": (new2024.group(2) or name).strip(),
                }
            )
    return reforms


def _merge(predecessors, number: str, name: str, on: date, county: str, seed: int) -> Municipality:
    """Record a reform step once. A renumbered municipality is the same legal entity: it keeps its
    organisation number and invoice address; a merged one gets new (demo) ones."""
    from membership.services import municipality_merge

    pending = [m for m in predecessors if m.successor_id is None]
    if not pending:
        return predecessors[0].successor
    if len(predecessors) == 1:
        old = predecessors[0]
        fields = {
            k: getattr(old, k)
            for k in (
                "org_number",
                "invoice_street",
                "invoice_postcode",
                "invoice_city",
                "invoice_email",
                "name_nn",
                "name_se",
            )
        }
    else:
        fields = _invoice_fields(name, seed)
    return municipality_merge(
        predecessors=pending, successor_number=number, name=name, on=on, actor=None, county=county, **fields
    )


def _office(person, kind, municipality, starts_on, ends_on=None):
    """A term of office in the demo's history (written directly: the terms are laid out not to overlap)."""
    office, _ = Office.objects.get_or_create(
        person=person, kind=kind, municipality=municipality, starts_on=starts_on, defaults={"ends_on": ends_on}
    )
    return office


def _derived_populations(groups_2020, municipalities, successors_2020) -> None:
    """Today's (and 2020's) municipalities get the sum of their 2017 predecessors' SSB figures, labelled as
    derived, so that the register and the dashboard count today's members. A successor the data knows only
    in part (Sande's part of Holmestrand) gets none: its figure would be a guess."""
    for number, group in groups_2020.items():
        if all(r["joined"] for r in group):
            continue
        roots = sorted((municipalities[r["old"]] for r in group), key=lambda m: m.number)
        names = ", ".join(f"{m.number} {m.name}" for m in roots)
        source = f"{Population.DERIVED_PREFIX} av forgjengernes tall (SSB tabell 07459): {names}"
        successor_2020 = Municipality.objects.select_related("successor").get(pk=successors_2020[number].pk)
        for year in (2012, 2017):
            counts = list(Population.objects.filter(municipality__in=roots, year=year).values_list("count", flat=True))
            if len(counts) != len(roots):
                continue
            for successor in (successor_2020, successor_2020.successor):
                if successor is not None:
                    Population.objects.get_or_create(
                        municipality=successor, year=year, defaults={"count": sum(counts), "source": source[:200]}
                    )


def load() -> str:
    from membership.services import membership_create, membership_invitation_answer, membership_invitation_create

    municipalities = _load_2017_municipalities()
    with open(DATA / "population.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Population.objects.get_or_create(
                municipality=municipalities[row["kommunenummer"]],
                year=int(row["year"]),
                defaults={"count": int(row["population"]), "source": "SSB tabell 07459"},
            )

    vestregionen, _ = Cooperation.objects.get_or_create(
        short_name="Vestregionen",
        defaults=dict(
            name="Vestregionen",
            org_number=demo_org_number(1),
            street_address="Postboks 700",
            postcode="1302",
            city="Sandvika",
            contact_email="post@vestregionen.demo.khs.invalid",
        ),
    )
    khs, _ = Cooperation.objects.get_or_create(
        short_name="KHS",
        defaults=dict(
            name="Kommunehelsesamarbeidet i Vestre Viken",
            org_number=demo_org_number(2),
            street_address="c/o Vestregionen, Postboks 700",
            postcode="1302",
            city="Sandvika",
            bank_account="15037912341",
            contact_email="kari@vestregionen.demo.khs.invalid",
            secretariat_host=vestregionen,
            language="nb",
        ),
    )
    hallingdal, _ = Cooperation.objects.get_or_create(
        short_name="Regionrådet Hallingdal",
        defaults=dict(
            name="Regionrådet for Hallingdal",
            org_number=demo_org_number(3),
            street_address="Sentrumsvegen 93",
            postcode="3570",
            city="Ål",
            contact_email="post@hallingdal.demo.khs.invalid",
            language="nn",
        ),
    )
    CooperationAgreement.objects.get_or_create(
        cooperation=khs, starts_on=KHS_START, defaults=dict(title="Prosjektperiode", ends_on=PROJECT_END)
    )
    CooperationAgreement.objects.get_or_create(
        cooperation=khs, starts_on=CONTINUED, defaults=dict(title="Samarbeidsavtale", ends_on=date(2017, 12, 31))
    )

    # Memberships as the register held them in 2017; the reforms below carry the open ones on.
    for number, m in municipalities.items():
        Membership.objects.get_or_create(
            cooperation=khs,
            municipality=m,
            starts_on=KHS_START,
            defaults={"ends_on": PROJECT_END, "note": "Prosjektperioden 2010–2011"},
        )
        if (
            number not in INVITED_2011
            and not Membership.objects.filter(cooperation=khs, starts_on=CONTINUED, municipality=m).exists()
        ):
            membership_create(
                cooperation=khs,
                municipality=m,
                starts_on=CONTINUED,
                actor=None,
                note="Videreført etter vedtak i Vestregionens styringsgruppe",
            )
        if number in HALLINGDAL:
            Membership.objects.get_or_create(cooperation=hallingdal, municipality=m, starts_on=date(2000, 1, 1))
        elif number not in INVITED_2011:
            Membership.objects.get_or_create(cooperation=vestregionen, municipality=m, starts_on=date(2000, 1, 1))

    # Seed 004: the letter of 7.10.2011, and each municipality's answer (Hallingdal's after SAK 55/11).
    invited = [municipalities[n] for n in INVITED_2011]
    if not MembershipInvitation.objects.filter(cooperation=khs, starts_on=CONTINUED).exists():
        membership_invitation_create(
            cooperation=khs,
            municipalities=invited,
            letter_title=LETTER_2011,
            sent_on=date(2011, 10, 7),
            starts_on=CONTINUED,
            actor=None,
        )
    for invitation in MembershipInvitation.objects.filter(
        cooperation=khs, starts_on=CONTINUED, answer=MembershipInvitation.Answer.PENDING
    ):
        number = invitation.municipality.number
        if number in HALLINGDAL:
            reference = "Kommunestyret (demo), etter tilråding frå Regionrådet for Hallingdal, SAK 55/11"
            answered_on = date(2011, 11, 24)
        else:
            reference = "Kommunestyret (demo-referanse)"
            answered_on = date(2011, 12, 8)
        membership_invitation_answer(
            invitation=invitation, accepted=True, answered_on=answered_on, reference=reference, actor=None
        )

    for region_name, numbers in REGIONS.items():  # before the reforms, which carry regions to successors
        region, _ = Region.objects.get_or_create(name=region_name)
        region.municipalities.add(*[municipalities[n] for n in numbers])

    # A mayor and a deputy per municipality (demo people, re-elected): the 2011 and 2015 terms, and the
    # 2019 term where the council went on
    # (a merged municipality's council sat until 31.12.2019 and the new one's began on 1.1.2020).
    groups_2020: dict[str, list[dict]] = {}
    for reform in _reforms():
        groups_2020.setdefault(reform["new2020"], []).append(reform)
    new_council = {r["old"] for group in groups_2020.values() if len(group) > 1 for r in group} | {"0713"}
    for number, m in municipalities.items():
        for kind in (Office.Kind.MAYOR, Office.Kind.DEPUTY_MAYOR):
            person = _person(kind, m.name, number in HALLINGDAL)
            _office(person, kind, m, TERM_2011, date(2015, 9, 30))
            _office(person, kind, m, TERM_2015, date(2019, 12, 31) if number in new_council else date(2019, 10, 31))
            if number not in new_council:
                _office(person, kind, m, TERM_2019)

    # 1.1.2020: mergers and new numbers are recorded as successors; memberships and offices move on.
    successors_2020 = {}
    for number, group in groups_2020.items():
        name = group[0]["name2020"]
        successor = _merge(
            [municipalities[r["old"]] for r in group], number, name, REFORM_2020, COUNTY_2020[number[:2]], int(number)
        )
        successors_2020[number] = successor
        if group[0]["old"] in new_council:
            for kind in (Office.Kind.MAYOR, Office.Kind.DEPUTY_MAYOR):
                _office(_person(kind, name, False), kind, successor, REFORM_2020)

    # 1.1.2024: Viken and Vestfold og Telemark are split; every number changes again.
    for reform in {r["new2020"]: r for r in _reforms()}.values():
        number = reform["new2024"]
        _merge(
            [successors_2020[reform["new2020"]]],
            number,
            reform["name2024"],
            REFORM_2024,
            COUNTY_2024[number[:2]],
            int(number),
        )

    _derived_populations(groups_2020, municipalities, successors_2020)

    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__in=["sekretariat", "okonomi"]):
        for cooperation in (khs, vestregionen, hallingdal):
            cooperation.staff.add(user)
    from membership.selectors import memberships_on

    counts = ", ".join(
        f"{format_date(day)}: {memberships_on(khs, day).count()}"
        for day in (date(2012, 1, 1), date(2018, 1, 1), date(2020, 1, 1))
    )
    return f"{Cooperation.objects.count()} cooperations, {Municipality.objects.count()} municipality periods, KHS members {counts}"
