"""The pure rules of duties, Rupiah and the outcome figures (no database)."""

from decimal import Decimal

import pytest

from agreements.obligations import StatusError, check_status, parse_rupiah, per_thousand, rupiah, score_gains


@pytest.mark.parametrize(("status", "evidence", "note", "error"), [
    pytest.param("not_started", 0, "", None, id="not-started-needs-nothing"),
    pytest.param("in_progress", 0, "", None, id="in-progress-needs-nothing"),
    pytest.param("done", 1, "", None, id="done-with-evidence"),
    pytest.param("done", 0, "Sudah", "evidence", id="done-without-evidence"),
    pytest.param("not_done", 0, "Anggaran tidak tersedia", None, id="not-done-with-a-reason"),
    pytest.param("not_done", 3, "  ", "reason", id="not-done-without-a-reason"),
    pytest.param("finished", 1, "", "unknown", id="unknown-status"),
])
def test_a_duty_status_needs_evidence_when_done_and_a_reason_when_not_done(status, evidence, note, error):
    if error is None:
        check_status(status=status, evidence_count=evidence, note=note)
    else:
        with pytest.raises(StatusError, match=error):
            check_status(status=status, evidence_count=evidence, note=note)


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal(1250000), "Rp1.250.000"), (0, "Rp0"), (999, "Rp999"), (1000, "Rp1.000"),
    (Decimal("2500000000"), "Rp2.500.000.000"), (Decimal(-50000), "-Rp50.000"), (None, "—"),
])
def test_rupiah_are_written_with_dots_between_thousands(amount, text):
    assert rupiah(amount) == text


@pytest.mark.parametrize(("typed", "amount"), [
    ("Rp1.250.000", 1250000), ("1.250.000", 1250000), ("1250000", 1250000), ("Rp 1.250.000,00", 1250000),
    ("Rp. 500.000", 500000), ("0", 0),
])
def test_an_amount_typed_as_indonesians_write_it_is_read(typed, amount):
    assert parse_rupiah(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["1.25", "1,5", "-5000", "Rp", "satu juta", "", "12.34.567", ".500"])
def test_an_amount_that_is_not_whole_rupiah_is_refused(typed):
    with pytest.raises(ValueError):
        parse_rupiah(typed)


def test_gains_count_only_participants_with_both_tests():
    pairs = [(Decimal(40), Decimal(80)), (Decimal(60), Decimal(60)), (Decimal(70), Decimal("65.5")),
             (None, Decimal(90)), (Decimal(50), None)]
    assert score_gains(pairs) == (Decimal("11.83"), Decimal("33.33"), 3)  # (40 + 0 - 4.5) / 3; 1 of 3 improved
    assert score_gains([]) == (None, None, 0)


def test_violations_per_thousand_has_no_value_without_a_population():
    assert per_thousand(3, 1200) == Decimal("2.50")
    assert per_thousand(0, 7) == Decimal("0.00")
    assert per_thousand(2, 0) is None
