"""Onboarding's cast: the province office's leadership and another province, shared with accounts' tests
(accounts/tests/factories.py)."""

from accounts.tests.factories import lead_babel, riau  # noqa: F401 (fixtures)
