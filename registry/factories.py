"""factory_boy factories for the register and the places and organizations under it.

Valid by default: a PNS or PPPK gets a synthetic NIP that passes ``Employee.clean`` (its
birth date and gender agree with the number), contract staff get none. Regions, the
agency and the unit are fetched by their natural keys when they already exist, so the
factories combine with the shared cast in ``conftest.py`` (``places``, ``agencies``).

The numbers come from ``registry.nip.synthetic_nip``, which the demo seed uses too.
"""

from datetime import date

import factory
import factory.random
from factory.django import DjangoModelFactory

from organizations.models import Agency, Unit
from regions.models import Region
from registry.models import Employee
from registry.nip import parse_pns_nip, parse_pppk_ni, synthetic_nip

PNS_RANKS = ["Penata Muda (III/a)", "Penata Muda Tingkat I (III/b)", "Penata (III/c)",
             "Penata Tingkat I (III/d)", "Pembina (IV/a)"]
PPPK_GRADES = ["Golongan V", "Golongan VII", "Golongan IX"]
POSITIONS = ["Guru Ahli Pertama", "Analis Kebijakan Ahli Pertama", "Perawat Terampil",
             "Pranata Komputer Ahli Pertama", "Pengadministrasi Perkantoran"]


class RegionFactory(DjangoModelFactory):
    """Kabupaten Belitung Timur under its province and the country, unless told otherwise."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "19.06"
    name = "Kabupaten Belitung Timur"
    level = Region.Level.REGENCY
    parent = factory.SubFactory(
        "registry.factories.RegionFactory", code="19", name="Kepulauan Bangka Belitung",
        level=Region.Level.PROVINCE,
        parent__code="ID", parent__name="Indonesia", parent__level=Region.Level.COUNTRY, parent__parent=None,
    )


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = "Pemerintah Kabupaten Belitung Timur"
    kind = Agency.Kind.REGIONAL
    region = factory.SubFactory(RegionFactory)
    ppk_title = "Bupati Belitung Timur"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("agency", "name")

    agency = factory.SubFactory(AgencyFactory)
    name = "Dinas Pendidikan"
    short_name = "Disdik"


def _parse(kind, nip):
    return {Employee.Kind.PNS: parse_pns_nip, Employee.Kind.PPPK: parse_pppk_ni}[kind](nip)


class EmployeeFactory(DjangoModelFactory):
    """``EmployeeFactory()`` is a PNS; ``EmployeeFactory(pppk=True)``, ``(contract=True)``."""

    class Meta:
        model = Employee

    class Params:
        pppk = factory.Trait(kind=Employee.Kind.PPPK)
        contract = factory.Trait(kind=Employee.Kind.CONTRACT)
        today = factory.LazyFunction(date.today)
        male = factory.LazyAttribute(lambda o: o.gender == Employee.Gender.MALE)
        first_name = factory.Maybe(
            "male",
            yes_declaration=factory.Faker("first_name_male", locale="id_ID"),
            no_declaration=factory.Faker("first_name_female", locale="id_ID"),
        )
        last_name = factory.Faker("last_name", locale="id_ID")

    kind = Employee.Kind.PNS
    gender = factory.Iterator([Employee.Gender.MALE, Employee.Gender.FEMALE])
    name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")
    # The factory sequence fills the last 3 digits, so a batch of up to 999 cannot repeat a
    # number even when two draws share their dates.
    nip = factory.LazyAttributeSequence(
        lambda o, n: None if o.kind == Employee.Kind.CONTRACT else synthetic_nip(
            o.kind, factory.random.randgen, gender=o.gender, today=o.today, sequence=n % 999 + 1)
    )
    birth_date = factory.Maybe(
        "nip",
        yes_declaration=factory.LazyAttribute(lambda o: _parse(o.kind, o.nip).birth_date),
        no_declaration=factory.Faker("date_between", start_date=date(1970, 1, 1),
                                     end_date=date(2003, 12, 31)),
    )
    rank = factory.LazyAttributeSequence(
        lambda o, n: {Employee.Kind.PNS: PNS_RANKS[n % len(PNS_RANKS)],
                      Employee.Kind.PPPK: PPPK_GRADES[n % len(PPPK_GRADES)]}.get(o.kind, "")
    )
    position = factory.Iterator(POSITIONS)
    agency = factory.SubFactory(AgencyFactory)
    unit = factory.SubFactory(UnitFactory, agency=factory.SelfAttribute("..agency"))
    active = True
