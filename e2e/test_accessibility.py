"""Accessibility: axe-core on every public page, and a report sent with the keyboard alone.

axe-core comes from the PyPI package axe-playwright-python, which bundles ``axe.min.js``
(pinned in requirements/dev.txt; no CDN). The script is injected into each page with
``page.add_script_tag``: the site's Content-Security-Policy forbids inline scripts, so the
axe walk runs in a browser context made with ``bypass_csp=True`` (for this check only; every
other browser test, the keyboard test below included, runs under the real policy).

The walk seeds the demo data once and visits every public page, in its filled-in and error
states, on a desktop and a phone viewport; it fails on any serious or critical violation and
lists them all at the end.
"""

from io import StringIO

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from e2e.conftest import PHONE, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_SCRIPT = AXE_FILE_PATH.read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
ELECTION = "pilkada-2024"


@pytest.fixture
def demo(live_server):
    """The demo installation (a few seconds): reports, register, pledges, events, follow-up."""
    call_command("seed_demo", stdout=StringIO())
    return live_server.url


def axe_violations(page, where: str) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now, one line per node."""
    page.add_script_tag(content=AXE_SCRIPT)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"{where}: {violation['impact']} {violation['id']} ({violation['help']})\n"
                         f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}\n"
                         f"    {summary[:400]}")
    return lines


def undescribed_errors(page, where: str) -> list[str]:
    """Fields marked invalid whose error message is not tied to them with aria-describedby."""
    missing = page.evaluate("""() => [...document.querySelectorAll("[aria-invalid='true']")]
      .filter(field => !(field.getAttribute("aria-describedby") || "").split(" ")
        .some(id => id && document.getElementById(id) && document.getElementById(id).matches(".errorlist")))
      .map(field => field.outerHTML.slice(0, 160))""")
    assert page.locator("[aria-invalid='true'], .form-errors").count(), f"{where}: no error shown"
    return [f"{where}: error not tied to its field with aria-describedby: {html}" for html in missing]


def _people(event, count: int):
    """Participants of the event who can verify themselves (NIP and birth date) and have not pledged yet."""
    from prevention.services import eligible_employees

    return list(eligible_employees(event=event).filter(kind="pns", birth_date__isnull=False)
                .exclude(pledges__election_id=ELECTION).order_by("pk")[:count])


def _open_checkin():
    """The demo's event with tests, its check-in opened as its organizer would."""
    from accounts.models import User
    from prevention.models import Event
    from prevention.services import event_update_record

    event = Event.objects.filter(with_tests=True).order_by("pk").first()
    event_update_record(event=event, actor=User.objects.get(username="staf.beltim"),
                        minutes=event.minutes, checkin_open=True)
    return event


def _fill_report(page, base):
    """An anonymous report with the fewest fields, filled the quick way (the keyboard test types)."""
    page.goto(base + "/lapor/")
    page.check("input[name='identity'][value='anonymous']")
    page.fill("#id_persons-0-name", "Kepala Dinas")
    page.fill("#id_region_name", "Manggar")
    page.fill("#id_place", "Halaman kantor dinas")
    page.fill("#id_known_on", "2024-11-11")
    page.fill("#id_description", "Kepala dinas memasang baliho calon bupati di halaman kantor.")
    page.check("#id_truthful")
    page.click("#submit-report")
    page.wait_for_selector("#tracking-code")


def _walk(page, base, name, *, person, event, verify_path, demo_code, rule_path, letter_path) -> list[str]:
    found = []

    def check(label, *, errors=False):
        where = f"[{name}] {label} {page.url.removeprefix(base)}"
        found.extend(axe_violations(page, where))
        if errors:
            found.extend(undescribed_errors(page, where))

    for path in ["/", "/lapor/", "/lacak/", "/larangan/", rule_path, "/pengumuman/", "/batas-waktu/",
                 "/batas-waktu/?regime=pilkada&step=report&start=2024-11-22", "/batas-waktu/?start=kemarin",
                 "/tindak-lanjut/", "/statistik/", "/data/", "/ikrar/", verify_path,
                 "/ikrar/cek/PALSU.PALSU/", letter_path, "/surat/verifikasi/PALSU/", "/materi/", "/akun/masuk/", reverse("accounts:password_reset"),
                 "/halaman-yang-tidak-ada/"]:
        page.goto(base + path)
        check(path)

    # The report form after an empty submit: the server's answer (the browser's own checks of
    # required fields are turned off, as a browser without them would send it).
    page.goto(base + "/lapor/")
    page.evaluate("() => { document.getElementById('report-form').noValidate = true; }")
    page.click("#submit-report")
    page.wait_for_selector("#form-errors")
    check("report form, errors", errors=True)

    # A report sent: the receipt with its code, then the status page reached with that code.
    _fill_report(page, base)
    check("receipt")
    code = page.locator("#tracking-code").inner_text()
    for label, tracking_code in [("own report", code), ("demo report", demo_code)]:
        page.goto(base + "/lacak/")
        page.fill("#id_code", tracking_code)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/lacak/status/")
        check(f"status, {label}")
    page.goto(base + "/lacak/")
    page.fill("#id_code", "AAAA-BBBB-CCCC-DDDD")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("[aria-invalid='true'], .form-errors")
    check("tracking, wrong code", errors=True)

    # The pledge: a wrong birth date, then the signing page, then the certificate page.
    page.goto(base + "/ikrar/")
    page.select_option("#id_election", ELECTION)
    page.fill("#id_identity", person.nip)
    page.fill("#id_birth_date", "1900-01-01")
    page.click("#pledge-continue")
    page.wait_for_selector(".form-errors")
    check("pledge, not matched", errors=True)
    page.fill("#id_birth_date", person.birth_date.isoformat())
    page.click("#pledge-continue")
    page.wait_for_url("**/ikrar/tanda-tangan/")
    check("pledge, sign")
    page.fill("#id_typed_name", person.name)
    page.check("#id_agree")
    page.click("#pledge-submit")
    page.wait_for_url("**/ikrar/selesai/")
    check("pledge, done")

    # Attendance by QR code, its error state, and the pre-test.
    checkin = f"/hadir/{event.checkin_token}/"
    page.goto(base + checkin)
    check("check-in")
    page.click("#checkin-submit")
    page.wait_for_selector("[aria-invalid='true']")
    check("check-in, errors", errors=True)
    page.fill("#id_identity", person.nip)
    page.fill("#id_birth_date", person.birth_date.isoformat())
    page.click("#checkin-submit")
    page.wait_for_url("**/selesai/")
    check("check-in, done")
    page.goto(base + checkin + "tes/pre/")
    check("pre-test")

    # A letter's verification page after a check with a hash that does not match.
    page.goto(base + letter_path)
    page.fill("#id_sha256", "0" * 64)
    page.click("#verify-submit")
    page.wait_for_selector("#check-result")
    check("letter verification, no match")

    # The login page with a wrong password.
    page.goto(base + "/akun/masuk/")
    page.fill("#id_auth-username", "staf.beltim")
    page.fill("#id_auth-password", "bukan-kata-sandinya")
    page.click("#login-submit")
    page.wait_for_selector(".form-errors")
    check("login, wrong password", errors=True)
    return found


def test_public_pages_have_no_serious_or_critical_axe_violation(demo, browser):
    from demo.reports import demo_tracking_codes
    from prevention import codes
    from prevention.models import Pledge
    from rules.models import Violation

    event = _open_checkin()
    people = _people(event, 2)
    pledge = Pledge.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    verify_path = f"/ikrar/cek/{codes.signed_token(pledge.code, settings.SECRET_KEY)}/"
    rule = Violation.objects.filter(active=True).order_by("family", "position").first()
    from letters.models import Letter

    letter_path = f"/surat/verifikasi/{Letter.objects.order_by('pk').first().verify_token}/"
    found = []
    for (name, options), person in zip([("desktop", DESKTOP), ("phone", PHONE)], people):
        context = browser.new_context(**options, locale="id-ID", bypass_csp=True)
        context.set_default_timeout(15_000)
        try:
            found += _walk(context.new_page(), demo, name, person=person, event=event,
                           verify_path=verify_path, demo_code=demo_tracking_codes(1)[0][0],
                           rule_path=f"/larangan/{rule.pk}/", letter_path=letter_path)
        finally:
            context.close()
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)


def test_the_case_study_page_has_no_serious_or_critical_axe_violation(live_server, browser, places, offices,
                                                                       staff_beltim):
    """The study of a case (staff, behind the login): the reporter's choice pre-selected, then
    the warning about a provision of another category and its unticked confirmation."""
    from e2e.test_study_flow import case_in_study

    case = case_in_study(places, staff_beltim)
    context = browser.new_context(**DESKTOP, locale="id-ID", bypass_csp=True)
    context.set_default_timeout(15_000)
    found = []
    try:
        page = context.new_page()
        staff_login(page, live_server.url, "staf.beltim")
        page.goto(live_server.url + case.get_absolute_url())
        found += axe_violations(page, "case study")
        page.locator("#propose input[name=violations][value='social-media-campaign']").uncheck()
        page.locator("#propose input[name=violations][value='banner-support']").check()
        page.fill("#id_legal_analysis", "Analisis.")
        page.fill("#id_conclusion", "Kesimpulan.")
        page.click("#propose button[type=submit]")
        page.wait_for_selector("#provision-warnings")
        found += axe_violations(page, "case study, warning")
        found += undescribed_errors(page, "case study, warning")
    finally:
        context.close()
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)


def test_the_staff_landing_page_and_lists_have_no_serious_or_critical_axe_violation(live_server, browser, places,
                                                                                     offices, staff_beltim):
    """What needs the staff today ("/staf/"), then the lists with their age and deadline columns."""
    from e2e.test_staff_home_flow import staff_work

    staff_work(places, staff_beltim)
    found = []
    session = None  # one login for both viewports: a second login in the same 30 s would reuse its TOTP code
    for name, options in [("desktop", DESKTOP), ("phone", PHONE)]:
        context = browser.new_context(**options, locale="id-ID", bypass_csp=True, storage_state=session)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            if session is None:
                staff_login(page, live_server.url, "staf.beltim")
                session = context.storage_state()
            for path in ["/staf/", "/staf/laporan/?order=due", "/staf/kasus/?status=open&due=overdue",
                         "/staf/tindak-lanjut/"]:
                page.goto(live_server.url + path)
                assert page.locator("header #logout button").is_visible(), (name, path)  # phones too
                found += axe_violations(page, f"[{name}] {path}")
        finally:
            context.close()
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)


# --- The keyboard alone -------------------------------------------------------------------

FOCUS_STATE = """async selector => {
  await new Promise(requestAnimationFrame);  // let the focus settle (a date input moves it inside)
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    html: element.outerHTML.slice(0, 160),
    body: element === document.body,
    matches: element.matches(selector),
    visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none",
  };
}"""


def tab_to(page, selector: str, *, limit: int = 80):
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user
    would; every element passed on the way must show that it has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE, selector)
        assert state["body"] or state["visible"], f"no visible focus style on {state['html']}"
        if state["matches"]:
            return
    raise AssertionError(f"{selector} was not reached with Tab")


def focused(page, selector: str) -> bool:
    return page.evaluate("selector => document.activeElement.matches(selector)", selector)


def test_a_report_is_sent_and_tracked_with_the_keyboard_alone(demo, desktop):
    from registry.models import Employee

    person = (Employee.objects.filter(kind="pns", active=True, agency__name__contains="Belitung Timur")
              .order_by("pk")[0])
    page = desktop  # the real Content-Security-Policy applies here

    # The first Tab reaches the skip link, shown on the screen; Enter moves to the content.
    page.goto(demo + "/lapor/")
    page.keyboard.press("Tab")
    assert focused(page, "a.skip[href='#main']")
    box = page.locator("a.skip").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    page.keyboard.press("Enter")
    assert focused(page, "main#main")

    # Anonymous: the arrow keys move between the radio buttons of a group.
    tab_to(page, "input[name='identity']")
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name='identity']:checked").get_attribute("value") == "anonymous"
    assert page.locator("#identity-fields").is_hidden()

    # The reported person from the register: type, Tab to the result, Enter picks it.
    tab_to(page, "#search-persons-0")
    page.keyboard.type(person.nip)
    page.wait_for_selector("button[data-pick='persons-0']")
    tab_to(page, "button[data-pick='persons-0']")
    page.keyboard.press("Enter")
    assert page.input_value("#id_persons-0-name") == person.name
    assert focused(page, "#id_persons-0-name")

    # The place is typed (issue 20); a date input takes its digits in order (and shows its
    # initial value: a localized "25-11-2026" would be dropped by the browser).
    assert page.input_value("#id_known_on") == page.get_attribute("#id_known_on", "max")  # today
    tab_to(page, "#id_region_name")
    page.keyboard.type("Manggar")
    assert page.input_value("#id_region_name") == "Manggar"
    tab_to(page, "#id_place")
    page.keyboard.type("Halaman kantor dinas")
    tab_to(page, "#id_known_on")
    page.keyboard.type("11112024")
    assert page.input_value("#id_known_on") == "2024-11-11"
    tab_to(page, "#id_description")
    page.keyboard.type("Kepala dinas memasang baliho calon bupati di halaman kantor.")
    tab_to(page, "input[name='violations']")
    page.keyboard.press("Space")
    assert page.locator("input[name='violations']").first.is_checked()
    tab_to(page, "#id_truthful")
    page.keyboard.press("Space")
    assert page.is_checked("#id_truthful")

    # Shift+Tab goes back one step; Enter on the button sends the report.
    tab_to(page, "#submit-report")
    page.keyboard.press("Shift+Tab")
    assert focused(page, "#id_truthful")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    code = page.wait_for_selector("#tracking-code").inner_text()
    number = page.locator("#report-number").inner_text()

    # The language switch, there and back, and the main menu, by keyboard.
    page.goto(demo + "/")
    tab_to(page, "form.lang button")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang='en']")
    tab_to(page, "form.lang button")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang='id']")
    tab_to(page, "nav a[href='/lacak/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/lacak/")

    # The code typed into the tracking form; Enter sends it.
    tab_to(page, "#id_code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url("**/lacak/status/")
    assert number in page.locator("h1").inner_text()


def refused_form_violations(page, label: str, *, form: str) -> list[str]:
    """Send the form (``form`` is its CSS selector) as filled in, wait for its refusal, and check the page
    with axe and for error messages that no field points to (aria-describedby)."""
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f"{form} [aria-invalid='true']")
    return axe_violations(page, label) + undescribed_errors(page, label)


def test_the_agreement_page_and_a_duty_page_have_no_serious_or_critical_axe_violation(live_server, browser, places,
                                                                                      offices, agencies,
                                                                                      staff_beltim):
    """Seed 000's agreement with its duties, costs and posts (issue 19), then a refused post and a refused status."""
    from datetime import date
    from decimal import Decimal
    from pathlib import Path

    import yaml

    from agreements.models import Duty
    from agreements.services import agreement_record, budget_line_set, dissemination_record, duty_evidence_add

    seed = Path(settings.BASE_DIR) / "agreements" / "data" / "mou_beltim_2022.yaml"
    mou = agreement_record(actor=staff_beltim, data=yaml.safe_load(seed.read_text(encoding="utf-8")))
    duty = Duty.objects.filter(item__agreement=mou, party__position=1).order_by("item__order", "order").first()
    duty_evidence_add(duty=duty, actor=staff_beltim, kind="link", url="https://example.org/sosialisasi")
    budget_line_set(item=duty.item, actor=staff_beltim, amount=Decimal(15000000), source="DIPA Bawaslu 2024")
    dissemination_record(agreement=mou, actor=staff_beltim, channel="instagram", title="Infografis netralitas",
                         url="https://example.org/p/1", published_on=date(2024, 9, 20), reach=1520)
    context = browser.new_context(**DESKTOP, locale="id-ID", bypass_csp=True)
    context.set_default_timeout(15_000)
    found = []
    try:
        page = context.new_page()
        staff_login(page, live_server.url, "staf.beltim")
        page.goto(live_server.url + reverse("agreements:detail", args=[mou.pk]))
        found += axe_violations(page, "agreement")
        page.select_option("#dissemination select[name=channel]", "facebook")
        page.fill("#dissemination input[name=title]", "Video netralitas")
        found += refused_form_violations(page, "agreement, refused post", form="#dissemination")
        page.goto(live_server.url + reverse("agreements:duty", args=[mou.pk, duty.pk]))
        found += axe_violations(page, "duty")
        page.select_option("#status select[name=status]", "not_done")
        found += refused_form_violations(page, "duty, refused status", form="#status")
    finally:
        context.close()
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)


def test_the_dispute_and_standalone_meeting_pages_have_no_serious_or_critical_axe_violation(
        live_server, browser, places, offices, agencies, staff_beltim, lead_beltim, rules):
    """Issue 19: a dispute of seed 000's agreement and seed 002's evaluation meeting without an agreement."""
    from datetime import date
    from pathlib import Path

    import yaml

    from agreements.services import (
        agreement_record,
        deliberation_record,
        dispute_raise,
        official_appoint,
        standalone_meeting_record,
    )
    from rules.models import Election

    seed = Path(settings.BASE_DIR) / "agreements" / "data" / "mou_beltim_2022.yaml"
    mou = agreement_record(actor=staff_beltim, data=yaml.safe_load(seed.read_text(encoding="utf-8")))
    official_appoint(agreement=mou, actor=staff_beltim, kind="focal_point", name="Rina", role="Koordinator Divisi",
                     phone="0812-1111", valid_from=date(2022, 9, 1))
    dispute = dispute_raise(agreement=mou, actor=staff_beltim, kind="interpretation", article="Pasal 5 ayat (1)",
                            raised_on=date(2024, 10, 1), question="Cakupan sosialisasi kepada ASN kecamatan?")
    deliberation_record(dispute=dispute, actor=staff_beltim, held_on=date(2024, 10, 8), notes="Musyawarah pertama.")
    election = Election.objects.get(pk="pilkada-2024")
    meeting = standalone_meeting_record(
        actor=staff_beltim, election=election, title="Rapat evaluasi Pilkada 2024", held_on=date(2024, 11, 20),
        place="Manggar", minutes="Evaluasi.", decisions=["Sosialisasi ulang"],
        participants=[("BKPSDM", "", 3), ("Inspektorat", "Andi", 1)])
    context = browser.new_context(**DESKTOP, locale="id-ID", bypass_csp=True)
    context.set_default_timeout(15_000)
    found = []
    try:
        page = context.new_page()
        staff_login(page, live_server.url, "ketua.beltim")
        page.goto(live_server.url + reverse("agreements:dispute", args=[mou.pk, dispute.pk]))
        found += axe_violations(page, "dispute")
        page.fill("#close textarea[name=outcome]", "")
        found += refused_form_violations(page, "dispute, refused outcome", form="#close")
        page.goto(live_server.url + reverse("agreements:standalone_meetings"))
        found += axe_violations(page, "evaluation meetings")
        page.goto(live_server.url + reverse("agreements:standalone_meeting", args=[meeting.pk]))
        found += axe_violations(page, "evaluation meeting")
        page.goto(live_server.url + reverse("agreements:standalone_meeting_new"))
        found += axe_violations(page, "new evaluation meeting")
        page.fill("textarea[name=participants]", "; Andi")
        found += refused_form_violations(page, "new evaluation meeting, refused", form="main")
    finally:
        context.close()
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)


def test_the_repeat_offenders_comparison_and_asn_notice_pages_have_no_serious_or_critical_axe_violation(
        live_server, browser, places, offices, agencies, staff_beltim, pemda_beltim, rules):
    """Issue 19: repeat offenders, the dashboard's election comparison, notices to ASN (list, refused form, detail)."""
    from datetime import date

    from cases.models import Case, CasePerson
    from prevention.notices import notice_send
    from registry.factories import EmployeeFactory
    from rules.models import Election

    camat = EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Rudi Hartono",
                            email="rudi@beltim.example")
    for number, election in (("001/LP/PB/Kab/29.06/II/2024", "pemilu-2024"), ("002/LP/PB/Kab/29.06/XI/2024", ELECTION)):
        case = Case.objects.create(number=number, kind="finding", office=offices["beltim"], region=places["manggar"],
                                   election=Election.objects.get(pk=election), summary="Foto bersama calon.",
                                   place="Manggar", known_on=date(2024, 2, 1), registered_on=date(2024, 2, 2),
                                   registered_by=staff_beltim)
        CasePerson.objects.create(case=case, employee=camat, name=camat.name, unit="Kecamatan Manggar")
    notice = notice_send(actor=pemda_beltim, kind="circular", subject="Netralitas ASN", body="Isi edaran.",
                         units=[agencies["camat_manggar"]])
    context = browser.new_context(**DESKTOP, locale="id-ID", bypass_csp=True)
    context.set_default_timeout(15_000)
    found = []
    try:
        page = context.new_page()
        staff_login(page, live_server.url, "staf.beltim")
        for path in ["/staf/pelanggar-berulang/", f"/staf/kepatuhan/?election={ELECTION}",
                     reverse("cases:detail", args=[case.pk])]:
            page.goto(live_server.url + path)
            found += axe_violations(page, path)
        page.context.clear_cookies()
        staff_login(page, live_server.url, "bkpsdm.beltim")
        page.goto(live_server.url + reverse("prevention:notices"))
        found += axe_violations(page, "notices")
        page.fill("input[name=subject]", "Apel")
        page.fill("textarea[name=units]", agencies["camat_manggar"].name)  # the text left empty: refused
        found += refused_form_violations(page, "notices, refused", form="main form[enctype]")
        page.goto(live_server.url + notice.get_absolute_url())
        found += axe_violations(page, "notice")
    finally:
        context.close()
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)
