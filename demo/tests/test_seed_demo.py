from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.models import User
from audit.models import AuditEntry
from demo.seed import DEFAULT_PASSWORD, seed_accounts
from organizations.models import Agency, BawasluOffice, Unit
from regions.models import Region
from registry.models import Employee
from registry.nip import parse_pns_nip, parse_pppk_ni

MODELS = [Region, BawasluOffice, Agency, Unit, Employee, User]
LOGINS = {
    "admin": ("admin", None),
    "staf.beltim": ("bawaslu_staff", "19.06"),
    "ketua.beltim": ("bawaslu_lead", "19.06"),
    "staf.bangka": ("bawaslu_staff", "19.01"),
    "staf.babel": ("bawaslu_staff", "19"),
    "bkpsdm.beltim": ("pemda_staff", "19.06"),
    "ppk.beltim": ("ppk", "19.06"),
    "bkn": ("authority", "ID"),
    "kadinkes.beltim": ("unit_head", "19.06"),
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One run of seed_demo shared by this module's tests, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_running_it_again_creates_nothing_and_changes_nothing(seeded):
    before = row_counts()
    employees = set(Employee.objects.values_list("nip", "name", "unit_id", "active"))
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert row_counts() == before
    assert set(Employee.objects.values_list("nip", "name", "unit_id", "active")) == employees
    assert "nothing new" in output.getvalue()


@pytest.mark.django_db
def test_one_audit_entry_records_the_run_that_created_the_data(seeded):
    call_command("seed_demo", stdout=StringIO())
    entries = AuditEntry.objects.filter(action="demo.seeded")
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.actor, entry.target_type, entry.target_id) == (None, "demo", "1")
    assert entry.data["employees_created"] == Employee.objects.count()
    assert entry.data["accounts_created"] == len(LOGINS)


@pytest.mark.django_db
def test_every_pns_and_pppk_has_a_valid_unique_nip_matching_birth_date_and_gender(seeded):
    parse = {"pns": parse_pns_nip, "pppk": parse_pppk_ni}
    rows = list(Employee.objects.exclude(kind="contract").values_list("kind", "nip", "birth_date", "gender"))
    assert len(rows) > 2500
    for kind, nip, birth_date, gender in rows:
        parts = parse[kind](nip)
        assert (parts.birth_date, parts.gender) == (birth_date, gender), nip
    assert not Employee.objects.filter(kind="contract").exclude(nip=None).exists()


@pytest.mark.django_db
def test_the_register_mixes_pns_pppk_and_contract_staff_in_both_regencies(seeded):
    beltim = Employee.objects.filter(agency__name="Pemerintah Kabupaten Belitung Timur")
    bangka = Employee.objects.filter(agency__name="Pemerintah Kabupaten Bangka")
    assert (beltim.count(), bangka.count()) == (3000, 300)
    assert {kind: beltim.filter(kind=kind).count() for kind in ("pns", "pppk", "contract")} == {
        "pns": 2100, "pppk": 660, "contract": 240}
    assert 0 < beltim.filter(active=False).count() < 300
    assert beltim.filter(rank="Penata Muda (III/a)").exists()
    assert beltim.filter(position="Guru Ahli Pertama").exists()
    assert beltim.filter(position="Camat Manggar").count() == 1
    assert not Employee.objects.filter(position__contains="{").exists()


@pytest.mark.django_db
def test_the_belitung_timur_office_is_the_one_of_the_mou(seeded):
    office = BawasluOffice.objects.get(region__code="19.06")
    assert office.number_code == "K.BB-06"
    assert office.address.startswith("Komplek Perkantoran Terpadu Jalan Raya Manggar-Gantung")
    assert set(BawasluOffice.objects.values_list("region__code", flat=True)) == {"ID", "19", "19.06", "19.01"}


@pytest.mark.django_db
def test_the_agencies_and_their_units_are_in_place(seeded):
    beltim = Agency.objects.get(name="Pemerintah Kabupaten Belitung Timur")
    assert (beltim.ppk_title, beltim.region.code) == ("Bupati Belitung Timur", "19.06")
    bkn = Agency.objects.get(name="Badan Kepegawaian Negara")
    assert (bkn.kind, bkn.region.code) == (Agency.Kind.AUTHORITY, "ID")
    districts = Unit.objects.filter(agency=beltim, name__startswith="Kecamatan ")
    assert sorted(unit.region.code for unit in districts) == [f"19.06.0{n}" for n in range(1, 8)]
    assert Unit.objects.get(agency=beltim, name="Puskesmas Gantung").parent.name == "Dinas Kesehatan"
    assert not Unit.objects.filter(agency__kind=Agency.Kind.REGIONAL, head_name="").exists()
    manggar = Unit.objects.get(agency=beltim, name="Kecamatan Manggar")
    assert manggar.head_position == "Camat Manggar"
    assert Employee.objects.filter(unit=manggar, name=manggar.head_name, position="Camat Manggar").exists()


@pytest.mark.django_db
def test_the_logins_exist_with_their_roles_and_jurisdictions(seeded):
    users = {user.username: user for user in User.objects.filter(username__in=LOGINS)}
    assert set(users) == set(LOGINS)
    for username, (role, region) in LOGINS.items():
        user = users[username]
        assert user.role == role, username
        assert (user.jurisdiction.code if user.jurisdiction else None) == region, username
        user.clean()
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["staf.beltim"].is_staff
    assert len({user.password for user in users.values()}) == 1  # the one demo password
    assert users["staf.beltim"].check_password(DEFAULT_PASSWORD)
    assert users["kadinkes.beltim"].unit.name == "Dinas Kesehatan"


@pytest.mark.django_db
def test_the_output_lists_the_logins_the_password_and_the_address(seeded):
    for username in LOGINS:
        assert username in seeded
    assert "Bawaslu Kabupaten Belitung Timur" in seeded
    assert DEFAULT_PASSWORD in seeded
    assert "http://127.0.0.1:8000/" in seeded


@pytest.mark.django_db
def test_the_password_comes_from_the_environment_when_set(seeded, monkeypatch):
    monkeypatch.setenv("NETRAL_DEMO_PASSWORD", "kata-sandi-demo-lain")
    output = StringIO()
    call_command("seed_demo", "--reset-passwords", stdout=output)
    assert User.objects.get(username="bkn").check_password("kata-sandi-demo-lain")
    assert "kata-sandi-demo-lain" in output.getvalue()


@pytest.mark.django_db
def test_existing_accounts_keep_their_password_unless_reset(seeded):
    seed_accounts(password="kata-sandi-demo-lain")
    assert User.objects.get(username="bkn").check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("password", [
    pytest.param("pendek", id="too-short"),
    pytest.param("1234567890123", id="numeric"),
    pytest.param("password123", id="common"),
])
def test_a_weak_demo_password_is_refused_and_nothing_changes(seeded, monkeypatch, password):
    monkeypatch.setenv("NETRAL_DEMO_PASSWORD", password)
    before = row_counts()
    with pytest.raises(CommandError, match="password"):
        call_command("seed_demo", "--reset-passwords", stdout=StringIO())
    assert row_counts() == before
    assert User.objects.get(username="bkn").check_password(DEFAULT_PASSWORD)
