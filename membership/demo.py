"""Demo register for the seeds' world: KHS with its 26 members, Vestregionen, Regionrådet for Hallingdal.

Official: kommunenummer (2017), names, population on 1.1.2012 and 1.1.2017 (SSB table 07459).
Invented and marked as demo: organisation numbers, addresses, people and e-mail addresses.
"""

import csv
import unicodedata
from datetime import date
from pathlib import Path

from stdnum.no import orgnr

from membership.models import Cooperation, Membership, Municipality, Office, Person, Population, Region

DATA = Path(__file__).resolve().parent.parent / "khs" / "demo_data"
HALLINGDAL = ["0615", "0616", "0617", "0618", "0619", "0620"]
VESTREGIONEN = ["0220", "0219", "0628", "0627", "0602", "0626", "0623", "0625", "0624", "0713", "0711",
                "0604", "0631", "0632", "0633", "0605"]  # demo approximation of the region's members
COUNTY_2017 = {"02": "Akershus", "06": "Buskerud", "07": "Vestfold", "05": "Oppland"}


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("æ", "ae").replace("å", "a"))
    return "".join(c for c in ascii_text.lower() if c.isalnum())


def demo_org_number(seed: int) -> str:
    """A made-up organisation number with a valid MOD11 check digit (demo data only)."""
    base = 990_000_000 + seed * 10
    for candidate in range(base, base + 10):
        if orgnr.is_valid(str(candidate)):
            return str(candidate)
    return demo_org_number(seed + 1)


def load() -> str:
    municipalities = {}
    with open(DATA / "municipalities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            number = row["kommunenummer_2017"]
            name = row["name_2017"].replace(" (Buskerud)", "").replace(" (Vestfold)", "")
            m, _ = Municipality.objects.get_or_create(
                number=number, valid_from=None,
                defaults=dict(
                    name=name, county=COUNTY_2017[number[:2]], org_number=demo_org_number(int(number)),
                    invoice_street="Postboks 1", invoice_postcode="3000", invoice_city=name,
                    invoice_email=f"faktura.{slug(name)}@demo.khs.invalid", valid_to=date(2019, 12, 31),
                ),
            )
            municipalities[number] = m
    with open(DATA / "population.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Population.objects.get_or_create(
                municipality=municipalities[row["kommunenummer"]], year=int(row["year"]),
                defaults={"count": int(row["population"]), "source": "SSB tabell 07459"},
            )

    vestregionen, _ = Cooperation.objects.get_or_create(short_name="Vestregionen", defaults=dict(
        name="Vestregionen", org_number=demo_org_number(1), street_address="Postboks 700",
        postcode="1302", city="Sandvika", contact_email="post@vestregionen.demo.khs.invalid"))
    khs, _ = Cooperation.objects.get_or_create(short_name="KHS", defaults=dict(
        name="Kommunehelsesamarbeidet i Vestre Viken", org_number=demo_org_number(2),
        street_address="c/o Vestregionen, Postboks 700", postcode="1302", city="Sandvika",
        bank_account="15037912345", contact_email="kari@vestregionen.demo.khs.invalid",
        secretariat_host=vestregionen, language="nb"))
    hallingdal, _ = Cooperation.objects.get_or_create(short_name="Regionrådet Hallingdal", defaults=dict(
        name="Regionrådet for Hallingdal", org_number=demo_org_number(3), street_address="Sentrumsvegen 93",
        postcode="3570", city="Ål", contact_email="post@hallingdal.demo.khs.invalid", language="nn"))

    for number, m in municipalities.items():
        Membership.objects.get_or_create(cooperation=khs, municipality=m, starts_on=date(2010, 1, 1))
        if number in HALLINGDAL:
            Membership.objects.get_or_create(cooperation=hallingdal, municipality=m, starts_on=date(2000, 1, 1))
        if number in VESTREGIONEN:
            Membership.objects.get_or_create(cooperation=vestregionen, municipality=m, starts_on=date(2000, 1, 1))
        for kind, label in ((Office.Kind.MAYOR, "Ordfører"), (Office.Kind.DEPUTY_MAYOR, "Varaordfører")):
            prefix = "ordforer" if kind == Office.Kind.MAYOR else "varaordforer"
            person, _ = Person.objects.get_or_create(
                email=f"{prefix}.{slug(m.name)}@demo.khs.invalid",
                defaults={"name": f"{label} i {m.name}", "language": "nn" if number in HALLINGDAL else "nb"})
            Office.objects.get_or_create(person=person, kind=kind, municipality=m, starts_on=date(2015, 10, 1),
                                         defaults={"ends_on": date(2019, 10, 31)})
    region, _ = Region.objects.get_or_create(name="Hallingdal")
    region.municipalities.add(*[municipalities[n] for n in HALLINGDAL])
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__in=["sekretariat", "okonomi"]):
        khs.staff.add(user)
        vestregionen.staff.add(user)
        hallingdal.staff.add(user)
    return f"{Cooperation.objects.count()} cooperations, {Municipality.objects.count()} municipalities"
