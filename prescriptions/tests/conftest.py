from records.tests.conftest import clinical  # noqa: F401 - shared fixture
