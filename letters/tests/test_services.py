"""letter_issue: one service numbers, renders, stores and records every official letter."""

import hashlib
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from audit.models import AuditEntry
from letters.context import LetterContextError
from letters.models import Letter, LetterSequence
from letters.services import issuer_key, letter_issue, letter_sequence_next
from letters.tests import samples
from organizations.models import Agency


@pytest.fixture(autouse=True)
def _on_27_november_2024(time_machine):
    time_machine.move_to("2024-11-27 10:00 +07:00")


@pytest.fixture
def bkn(places):
    return Agency.objects.create(name="Badan Kepegawaian Negara", kind="authority", authority_code="bkn",
                                 region=places["country"])


def context(kind="forward-other", **changes) -> dict:
    """A sample context of the kind, without the date and number that letter_issue gives."""
    data = samples.SAMPLES[kind]()
    del data["date"], data["number"]
    return {**data, **changes}


def media_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.pdf")) if root.exists() else []


def test_a_letter_is_numbered_rendered_stored_and_recorded(offices, staff_beltim, settings):
    letter = letter_issue(kind="forward-other", context=context(), addressee="Kepala Inspektorat",
                          actor=staff_beltim, office=offices["beltim"], folder="17")
    assert letter.number == "001/PP.01.02/K.BB-06/11/2024"
    assert (letter.kind, letter.addressee, letter.office, letter.agency) == (
        "forward-other", "Kepala Inspektorat", offices["beltim"], None)
    assert (letter.language, letter.created_by) == ("id", staff_beltim)
    stored = letter.file.read()
    assert stored.startswith(b"%PDF-") and hashlib.sha256(stored).hexdigest() == letter.sha256
    assert letter.file.name.startswith("letters/17/forward-other-001-PP.01.02-K.BB-06-11-2024")
    entry = AuditEntry.objects.get(action="letter.issued")
    assert (entry.target_type, entry.target_id) == ("letters.letter", str(letter.pk))
    assert entry.data == {"kind": "forward-other", "number": letter.number, "sha256": letter.sha256,
                          "language": "id", "issuer": f"office:{offices['beltim'].pk}", "signatory": None}


def test_each_issuer_counts_its_own_letters_across_kinds(offices, staff_beltim, bkn):
    beltim, bangka = offices["beltim"], offices["bangka"]
    first = letter_issue(kind="forward-other", context=context(), addressee="A", actor=staff_beltim, office=beltim)
    second = letter_issue(kind="status-announcement", context=context("status-announcement"), addressee="Publik",
                          actor=staff_beltim, office=beltim)
    other_office = letter_issue(kind="forward-other", context=context(office={**samples.OFFICE,
                                                                              "number_code": "K.BB-01"}),
                                addressee="B", actor=staff_beltim, office=bangka)
    authority = letter_issue(kind="followup-reminder", context=context_reminder(), addressee="Bupati",
                             actor=None, agency=bkn)
    assert [first.number, second.number, other_office.number, authority.number] == [
        "001/PP.01.02/K.BB-06/11/2024", "002/PP.01.02/K.BB-06/11/2024", "001/PP.01.02/K.BB-01/11/2024",
        "001/PP.01.02/BKN/11/2024"]
    assert (authority.office, authority.agency, authority.created_by) == (None, bkn, None)
    assert AuditEntry.objects.filter(action="letter.issued", actor=None).count() == 1
    assert dict(LetterSequence.objects.values_list("issuer", "last")) == {
        f"office:{beltim.pk}": 2, f"office:{bangka.pk}": 1, f"agency:{bkn.pk}": 1}


def context_reminder() -> dict:
    data = samples.followup_reminder()
    del data["date"], data["number"]
    return data


def test_a_new_year_starts_again_at_one(offices, staff_beltim, time_machine):
    letter_issue(kind="forward-other", context=context(), addressee="A", actor=staff_beltim, office=offices["beltim"])
    time_machine.move_to("2025-01-02 09:00 +07:00")
    letter = letter_issue(kind="forward-other", context=context(), addressee="A", actor=staff_beltim,
                          office=offices["beltim"])
    assert letter.number == "001/PP.01.02/K.BB-06/01/2025" and letter.file.name.startswith("letters/2025/")


def test_an_english_letter_is_rendered_in_english_and_says_so(offices, staff_beltim):
    from pypdf import PdfReader

    letter = letter_issue(kind="forward-other", context=context(), addressee="A", actor=staff_beltim,
                          office=offices["beltim"], language="en")
    text = " ".join(page.extract_text() for page in PdfReader(letter.file.path).pages)
    assert letter.language == "en" and "Subject" in text and "Perihal" not in text


def test_a_letter_needs_exactly_one_issuer(offices, staff_beltim, bkn):
    with pytest.raises(ValueError, match="one issuer"):
        letter_issue(kind="forward-other", context=context(), addressee="A", actor=staff_beltim)
    with pytest.raises(ValueError, match="one issuer"):
        issuer_key(office=offices["beltim"], agency=bkn)


def test_a_letter_that_cannot_be_rendered_leaves_nothing_and_gives_its_number_back(offices, staff_beltim, settings):
    broken = context()
    del broken["addressee"]
    with pytest.raises(LetterContextError, match="addressee"):
        letter_issue(kind="forward-other", context=broken, addressee="A", actor=staff_beltim,
                     office=offices["beltim"])
    assert not Letter.objects.exists() and not AuditEntry.objects.filter(action="letter.issued").exists()
    assert media_files(settings) == []
    letter = letter_issue(kind="forward-other", context=context(), addressee="A", actor=staff_beltim,
                          office=offices["beltim"])
    assert letter.number.startswith("001/")


def test_a_letter_whose_row_fails_takes_its_stored_file_with_it(offices, staff_beltim, settings):
    """The PDF is written before the row: a row refused (a number already taken by hand) removes it."""
    Letter.objects.create(kind="forward-other", number="001/PP.01.02/K.BB-06/11/2024", addressee="by hand",
                          file="letters/old.pdf", sha256="0" * 64, created_by=staff_beltim)
    with pytest.raises(IntegrityError):
        letter_issue(kind="forward-other", context=context(), addressee="A", actor=staff_beltim,
                     office=offices["beltim"])
    assert Letter.objects.count() == 1 and media_files(settings) == []


# --- Two letters at once ------------------------------------------------------------------------

def _in_threads(count: int, work) -> tuple[list, list]:
    """Run ``work(i)`` in ``count`` threads started together, each on its own connection."""
    barrier, results, errors = threading.Barrier(count), [], []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results.append(work(i))
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_numbers_taken_at_the_same_time_are_never_the_same(offices):
    """Each transaction keeps its number a moment before committing: without the row lock a
    second one would read the same last number (PostgreSQL, read committed) and write it again.
    On SQLite the write lock taken at BEGIN already queues them."""
    issuer = f"office:{offices['beltim'].pk}"

    def take(i):
        taken = []
        for _round in range(3):
            with transaction.atomic():
                taken.append(letter_sequence_next(issuer=issuer, year=2024))
                time.sleep(0.05)
        return taken

    results, errors = _in_threads(4, take)
    assert errors == []
    numbers = sorted(number for taken in results for number in taken)
    assert numbers == list(range(1, 13))
    assert LetterSequence.objects.get(issuer=issuer, year=2024).last == 12


@pytest.mark.django_db(transaction=True)
def test_letters_issued_at_the_same_time_get_distinct_numbers(offices, staff_beltim):
    def issue(i):
        with transaction.atomic():
            return letter_issue(kind="forward-other", context=context(), addressee=f"A{i}", actor=staff_beltim,
                                office=offices["beltim"]).number

    results, errors = _in_threads(3, issue)
    assert errors == []
    assert sorted(results) == [f"00{n}/PP.01.02/K.BB-06/11/2024" for n in (1, 2, 3)]
    assert Letter.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lock is PostgreSQL's SELECT ... FOR UPDATE")
@pytest.mark.django_db(transaction=True)
def test_a_second_issue_waits_for_the_first_to_commit(offices):
    """While one transaction holds the year's number, another one waits for it, then continues."""
    issuer = f"office:{offices['beltim'].pk}"
    letter_sequence_next(issuer=issuer, year=2024)  # the row exists: the wait is on its lock
    holding, released = threading.Event(), threading.Event()

    def first(i):
        with transaction.atomic():
            number = letter_sequence_next(issuer=issuer, year=2024)
            holding.set()
            released.wait(timeout=30)
            return number

    def second():
        holding.wait(timeout=30)
        with transaction.atomic():
            return letter_sequence_next(issuer=issuer, year=2024)

    answers = {}
    thread = threading.Thread(target=lambda: answers.update(first=_in_threads(1, first)[0][0]))
    thread.start()
    waiter = threading.Thread(target=lambda: answers.update(second=_run_closing(second)))
    waiter.start()
    holding.wait(timeout=30)
    waiter.join(timeout=1)
    assert waiter.is_alive(), "the second transaction did not wait for the first one's lock"
    released.set()
    thread.join(timeout=30)
    waiter.join(timeout=30)
    assert answers == {"first": 2, "second": 3}


def _run_closing(work):
    try:
        return work()
    finally:
        connection.close()
