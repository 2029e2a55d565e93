"""Merging on the case page through the number search (issue 20): type a few characters, pick, merge."""

import pytest

from cases.models import Case
from cases.tests.test_merge_search import add_cases
from e2e.conftest import staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_merge_a_case_by_picking_the_target_from_the_number_search(live_server, desktop, places, offices,
                                                                        staff_beltim):
    from django.core.management import call_command

    from rules.models import Election

    call_command("load_rules", verbosity=0)
    election = Election.objects.get(pk="pilkada-2024")
    source, *_others = add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 15)
    target = Case.objects.get(number="900012/LP/PL/Kab/19.06/XI/2024")

    staff_login(desktop, live_server.url, "staf.beltim")
    desktop.goto(live_server.url + source.get_absolute_url())
    desktop.click("details:has(#id_merge-number) > summary")
    desktop.fill("#id_merge-number", "90001")
    pick = desktop.locator(f"#merge-results button[data-merge-pick='{target.pk}']")
    pick.wait_for()
    assert desktop.locator("#merge-results button").count() == 5  # 900010 ... 900014
    pick.click()
    assert desktop.input_value("#id_merge-number") == target.number
    assert desktop.input_value("#id_merge-target") == str(target.pk)
    desktop.click(f"form[action$='/kasus/{source.pk}/gabung/'] button[type=submit]")
    desktop.wait_for_selector(".flash-success")
    source.refresh_from_db()
    assert source.status == Case.Status.MERGED and source.merged_into == target
