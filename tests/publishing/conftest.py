import pytest

from tests.publishing.world import build


@pytest.fixture
def world(coop, municipalities):
    return build(coop, municipalities)
