"""No Django admin for the follow-up, on purpose.

Recommendations and decisions change only through followup.services: each change is checked
(who may act, the deadline, the sanction catalog), audited, and recomputes the compliance
dashboard's tallies in its own transaction (followup.tallies). An admin form would do none of
that, and the tallies themselves are derived data (``manage.py followup_tallies`` rebuilds them).
Nor are cases in the admin (cases.services; a change of what the tallies count goes through
cases.hooks). followup/tests/test_tallies_outside.py checks that none of these models is
editable in the admin: register one read-only (no add, change or delete permission), or make
its saves refresh the tallies, before relaxing that test.
"""
