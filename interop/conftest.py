import pytest

from api.tests.conftest import api, clinical, upcoming  # noqa: F401  (shared fixtures)
from encryption.tests.keys import TEST_ENCRYPTION_KEY


@pytest.fixture(autouse=True)
def _encryption_keys(settings):
    settings.MEDCONNECT_ENCRYPTION_KEYS = [TEST_ENCRYPTION_KEY]
