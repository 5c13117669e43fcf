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
