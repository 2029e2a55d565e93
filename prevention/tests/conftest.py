"""Prevention's fixtures on top of the shared cast (conftest.py at the root).

``register`` is a hand-counted register of Belitung Timur and Bangka (see its docstring);
reach and coverage tests compare the selectors' figures with counts done by hand here.
"""

import base64
import io
from datetime import date

import pytest
from PIL import Image, ImageDraw

from registry.factories import EmployeeFactory


@pytest.fixture
def election(rules):
    from rules.models import Election

    return Election.objects.get(pk="pilkada-2024")


@pytest.fixture
def themes(db):
    from prevention.models import Theme

    return {theme.pk: theme for theme in Theme.objects.all()}


@pytest.fixture
def register(agencies, places):
    """Belitung Timur: Dinkes 4 active + 1 inactive; Kecamatan Manggar 3 active. Bangka: 2 active.

    Names are fixed so that tests can type them; the factory gives each a valid NIP.
    """
    from organizations.models import Unit

    bangka_unit = Unit.objects.create(agency=agencies["bangka"], name="Dinas Pendidikan Bangka")
    people = {}

    def person(key, unit, agency, **extra):
        people[key] = EmployeeFactory(name=key.replace("_", " ").title(), agency=agency, unit=unit, **extra)

    for key in ("ani", "budi", "cici", "dedi"):
        person(key, agencies["dinkes_beltim"], agencies["beltim"])
    person("eko_pensiun", agencies["dinkes_beltim"], agencies["beltim"], active=False)
    for key in ("fajar", "gita", "hadi"):
        person(key, agencies["camat_manggar"], agencies["beltim"])
    for key in ("indra", "joko"):
        person(key, bangka_unit, agencies["bangka"])
    people["bangka_unit"] = bangka_unit
    return people


@pytest.fixture
def event_pemda(pemda_beltim, themes, election, agencies):
    """Pemda Beltim's neutrality socialization for its Dinkes, with tests."""
    from prevention.services import event_create

    return event_create(actor=pemda_beltim, theme=themes["asn-neutrality"], title="Sosialisasi Netralitas ASN",
                        held_on=date(2024, 10, 1), place="Aula Dinkes", election=election,
                        target_units=[agencies["dinkes_beltim"]], with_tests=True)


@pytest.fixture
def event_bawaslu(staff_beltim, themes, election):
    """Bawaslu Beltim's anti money politics socialization for every unit of the regency."""
    from prevention.services import event_create

    return event_create(actor=staff_beltim, theme=themes["anti-money-politics"], title="Sosialisasi Anti Politik Uang",
                        held_on=date(2024, 10, 8), place="Kantor Bawaslu Beltim", election=election)


@pytest.fixture
def event_bangka(staff_bangka, themes, election):
    from prevention.services import event_create

    return event_create(actor=staff_bangka, theme=themes["asn-neutrality"], title="Sosialisasi di Bangka",
                        held_on=date(2024, 10, 2), place="Sungailiat", election=election)


@pytest.fixture
def questions(themes):
    from prevention.models import Question

    return [Question.objects.create(theme=themes["asn-neutrality"], text=f"Pertanyaan {n}",
                                    choices="Benar\nSalah\nTidak tahu", answer=1 + n % 2) for n in range(4)]


def signature_data_url(*, blank: bool = False, size=(400, 150)) -> str:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    if not blank:
        draw = ImageDraw.Draw(image)
        draw.line([(20, 100), (120, 30), (220, 110), (380, 40)], fill=(0, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
