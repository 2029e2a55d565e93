"""Costs (seed 000 art. 6) and the dissemination of neutrality material (work plan 1.a): records, rules, pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agreements import indicators
from agreements.models import BudgetLine, Dissemination, Spending
from agreements.selectors import costs_of
from agreements.services import budget_line_set, dissemination_record, spending_record
from audit.models import AuditEntry
from followup.tests.test_services import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_2024(time_machine):
    time_machine.move_to("2024-11-24 10:00 +07:00")


def item(mou, number):
    return mou.work_plan.get(number=number)


def receipt(name="kuitansi.pdf"):
    return SimpleUploadedFile(name, pdf_bytes())


def test_each_party_budgets_its_own_activity_and_a_change_is_audited_with_both_figures(mou, staff_beltim,
                                                                                      pemda_beltim, staff_bangka):
    with pytest.raises(PermissionDenied):
        budget_line_set(item=item(mou, "1.a"), actor=staff_bangka, amount=Decimal(1), source="APBD")
    bawaslu = budget_line_set(item=item(mou, "1.a"), actor=staff_beltim, amount=Decimal(15000000),
                              source="DIPA Bawaslu 2024")
    pemda = budget_line_set(item=item(mou, "1.a"), actor=pemda_beltim, amount=Decimal(10000000),
                            source="APBD Kabupaten Belitung Timur 2024")
    assert (bawaslu.party.position, pemda.party.position) == (1, 2)
    again = budget_line_set(item=item(mou, "1.a"), actor=staff_beltim, amount=Decimal(12500000),
                            source="DIPA Bawaslu 2024")
    assert again.pk == bawaslu.pk and BudgetLine.objects.count() == 2
    entry = AuditEntry.objects.filter(action="agreement.budget_set").order_by("-id").first()
    assert entry.data["before"]["amount"] == "15000000" and entry.data["after"]["amount"] == "12500000"


@pytest.mark.parametrize(("amount", "source", "field"), [
    pytest.param("-5", "APBD", "amount", id="negative"),
    pytest.param("1.5", "APBD", "amount", id="not-whole-rupiah"),
    pytest.param("1000", " ", "source", id="no-source"),
])
def test_a_budget_without_an_amount_or_a_source_is_refused(mou, staff_beltim, amount, source, field):
    with pytest.raises(ValidationError) as refused:
        budget_line_set(item=item(mou, "2"), actor=staff_beltim, amount=amount, source=source)
    assert field in refused.value.message_dict and not BudgetLine.objects.exists()


def test_spending_needs_its_evidence_and_is_totalled_per_party_and_activity(mou, staff_beltim, pemda_beltim):
    line_1a = budget_line_set(item=item(mou, "1.a"), actor=staff_beltim, amount=Decimal(15000000), source="DIPA")
    line_2 = budget_line_set(item=item(mou, "2"), actor=staff_beltim, amount=Decimal(5000000), source="DIPA")
    pemda = budget_line_set(item=item(mou, "1.a"), actor=pemda_beltim, amount=Decimal(10000000), source="APBD")
    with pytest.raises(ValidationError) as refused:
        spending_record(line=line_1a, actor=staff_beltim, spent_on=date(2024, 10, 1), amount=Decimal(1250000),
                        description="Konsumsi sosialisasi", upload=None)
    assert "upload" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        spending_record(line=line_1a, actor=staff_beltim, spent_on=date(2024, 12, 1), amount=Decimal(0),
                        description="Konsumsi", upload=receipt())
    assert {"spent_on", "amount"} <= set(refused.value.message_dict)
    with pytest.raises(PermissionDenied):  # the Pemda does not book spending on Bawaslu's budget
        spending_record(line=line_1a, actor=pemda_beltim, spent_on=date(2024, 10, 1), amount=Decimal(1),
                        description="x", upload=receipt())
    spending_record(line=line_1a, actor=staff_beltim, spent_on=date(2024, 10, 1), amount=Decimal(1250000),
                    description="Konsumsi sosialisasi", upload=receipt())
    spending_record(line=line_2, actor=staff_beltim, spent_on=date(2024, 11, 2), amount=Decimal(750000),
                    description="Penggandaan bahan", upload=receipt("spj.pdf"))
    spending_record(line=pemda, actor=pemda_beltim, spent_on=date(2024, 10, 1), amount=Decimal(2000000),
                    description="Sewa aula", upload=receipt())
    assert Spending.objects.get(description="Sewa aula").evidence.kind == "evidence"
    assert AuditEntry.objects.filter(action="agreement.spending_recorded").count() == 3
    costs = costs_of(mou)
    assert [(party.position, budget, spent) for party, budget, spent in costs.by_party] == [
        (1, Decimal(20000000), Decimal(2000000)), (2, Decimal(10000000), Decimal(2000000))]
    assert [(row.number, budget, spent) for row, budget, spent in costs.by_item] == [
        ("1.a", Decimal(25000000), Decimal(3250000)), ("2", Decimal(5000000), Decimal(750000))]
    assert (costs.budget, costs.spent) == (Decimal(30000000), Decimal(4000000))
    assert costs_of(mou, end=date(2024, 10, 31)).spent == Decimal(3250000)


def test_the_costs_page_takes_rupiah_as_written_and_shows_them_so(client, mou, staff_beltim, staff_bangka):
    client.force_login(staff_beltim)
    url = reverse("agreements:budget_new", args=[mou.pk])
    refused = client.post(url, {"item": item(mou, "1.a").pk, "amount": "satu juta", "source": "DIPA Bawaslu 2024"})
    assert refused.status_code == 400 and "DIPA Bawaslu 2024" in refused.content.decode()
    assert client.post(url, {"item": item(mou, "1.a").pk, "amount": "Rp1.250.000",
                             "source": "DIPA Bawaslu 2024"}).status_code == 302
    line = BudgetLine.objects.get()
    assert line.amount == Decimal(1250000)
    spent = client.post(reverse("agreements:spending_new", args=[mou.pk]), {
        "line": line.pk, "spent_on": "2024-10-01", "amount": "250.000", "description": "Konsumsi",
        "upload": receipt()})
    assert spent.status_code == 302
    html = client.get(reverse("agreements:detail", args=[mou.pk])).content.decode()
    assert "Rp1.250.000" in html and "Rp250.000" in html and "Rp1.000.000" in html  # budget, spent, remaining
    client.force_login(staff_bangka)
    assert client.post(url, {"item": item(mou, "2").pk, "amount": "1000", "source": "x"}).status_code == 404
    assert BudgetLine.objects.count() == 1


# --- Dissemination ---------------------------------------------------------------------------------

def test_a_party_records_its_posts_and_the_indicator_counts_them(mou, staff_beltim, pemda_beltim, staff_bangka):
    post = dissemination_record(agreement=mou, actor=staff_beltim, channel="instagram", title="Infografis netralitas",
                                url="https://www.instagram.com/p/C1a2b3", published_on=date(2024, 9, 20), reach=1520)
    again = dissemination_record(agreement=mou, actor=staff_beltim, channel="instagram",
                                 title="Infografis netralitas", url="https://www.instagram.com/p/C1a2b3",
                                 published_on=date(2024, 9, 20), reach=1520)
    assert again.pk == post.pk and post.party.position == 1  # a double submit records one post
    radio = dissemination_record(agreement=mou, actor=pemda_beltim, channel="radio", title="Dialog RSPD", url="",
                                 published_on=date(2024, 10, 5))
    assert radio.party.position == 2 and radio.reach is None
    with pytest.raises(PermissionDenied):
        dissemination_record(agreement=mou, actor=staff_bangka, channel="radio", title="x", url="",
                             published_on=date(2024, 10, 5))
    assert AuditEntry.objects.filter(action="agreement.dissemination_recorded").count() == 2
    assert indicators.compute("disseminations", mou, date(2024, 1, 1), date(2024, 12, 31)) == 2
    assert indicators.compute("disseminations", mou, date(2024, 10, 1), date(2024, 10, 31)) == 1
    with translation.override("en"):
        assert indicators.label("disseminations") == "Posts and broadcasts of neutrality material by the parties"
    assert ("disseminations", indicators.label("disseminations")) in indicators.choices()


@pytest.mark.parametrize(("channel", "url", "published_on", "field"), [
    pytest.param("facebook", "", date(2024, 9, 1), "url", id="social-post-without-link"),
    pytest.param("tiktok", "tiktok.com/@bawaslu", date(2024, 9, 1), "url", id="link-without-scheme"),
    pytest.param("website", "ftp://bawaslu.go.id/a", date(2024, 9, 1), "url", id="not-a-web-link"),
    pytest.param("youtube", "https://youtu.be/x", date(2024, 12, 1), "published_on", id="in-the-future"),
    pytest.param("x", "https://x.com/a/status/1", date(2022, 1, 1), "published_on", id="before-the-agreement"),
    pytest.param("telegram", "https://t.me/a", date(2024, 9, 1), "channel", id="unknown-channel"),
])
def test_a_post_with_a_bad_link_or_date_is_refused(mou, staff_beltim, channel, url, published_on, field):
    with pytest.raises(ValidationError) as refused:
        dissemination_record(agreement=mou, actor=staff_beltim, channel=channel, title="Materi", url=url,
                             published_on=published_on)
    assert field in refused.value.message_dict and not Dissemination.objects.exists()


def test_the_posts_are_listed_on_the_agreement_paginated_with_constant_queries(client, mou, staff_beltim,
                                                                               pemda_beltim,
                                                                               django_assert_max_num_queries):
    client.force_login(pemda_beltim)
    refused = client.post(reverse("agreements:dissemination_new", args=[mou.pk]), {
        "channel": "facebook", "title": "Video netralitas", "url": "", "published_on": "2024-09-01"})
    assert refused.status_code == 400 and "Video netralitas" in refused.content.decode()
    for day in range(1, 4):
        dissemination_record(agreement=mou, actor=staff_beltim, channel="instagram", title=f"Materi {day}",
                             url=f"https://instagram.com/p/{day}", published_on=date(2024, 9, day))
    url = reverse("agreements:detail", args=[mou.pk])
    client.get(url)
    with django_assert_max_num_queries(80) as few:
        client.get(url)
    for day in range(4, 31):
        dissemination_record(agreement=mou, actor=staff_beltim, channel="x", title=f"Materi {day}",
                             url=f"https://x.com/bawaslu/status/{day}", published_on=date(2024, 9, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("https://x.com/bawaslu/status/") == 25 and "?posts=2" in html
    second = client.get(url + "?posts=2").content.decode()
    assert "Materi 1<" in second and "Materi 5<" in second
