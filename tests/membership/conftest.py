"""Shared fixtures of the register's tests (the cast itself is in tests/conftest.py)."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


def data_file(name: str) -> Path:
    """A specimen file in tests/membership/data/ (SSB table 07459 downloads and plain CSVs)."""
    return DATA / name


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def grow_register(cooperation, n: int, *, seed: int = 0):
    """Add n member municipalities with a population figure for 2017 and a mayor (for query-count tests)."""
    from datetime import date

    from tests import factories as f

    for i in range(n):
        m = f.make_municipality(f"{5000 + seed * 100 + i:04d}", f"Kommune {seed}-{i}")
        f.make_membership(cooperation, m, starts_on=date(2012, 1, 1))
        f.make_population(m, 2017, 1000 + i)
        f.make_office(f.make_person(f"Ordfører {seed}-{i}"), municipality=m)
