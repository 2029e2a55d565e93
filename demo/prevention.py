"""Demo prevention data for Belitung Timur, made through prevention's real services.

Idempotent: events and ceremonies are found again by organizer and title, pledges by
ASN and election, materials by title, banners by unit and election. Deterministic: the
ASN chosen are the first ones of each unit by NIP.
"""

from datetime import date

from accounts.models import User
from organizations.models import Unit
from prevention import services
from prevention.models import Banner, Ceremony, Event, Material, Question, TestScore, Theme
from registry.models import Employee
from rules.models import Election

# A small question bank (demo content; each answer follows seed 001's circular or the MoU).
QUESTIONS = [
    ("asn-neutrality", "Bolehkah ASN memasang spanduk atau baliho calon kepala daerah?",
     "Boleh, di luar jam kerja\nTidak boleh\nBoleh, jika tidak memakai seragam", 2),
    ("asn-neutrality", "Bolehkah ASN memberi 'like' atau membagikan unggahan akun tim pemenangan calon?",
     "Boleh\nTidak boleh\nBoleh, jika akunnya pribadi", 2),
    ("asn-neutrality", "Bolehkah ASN menjadi anggota atau pengurus partai politik?",
     "Tidak boleh\nBoleh, jika tidak aktif\nBoleh", 1),
    ("asn-neutrality", "Ke mana dugaan pelanggaran netralitas ASN dapat dilaporkan?",
     "Ke Bawaslu\nTidak perlu dilaporkan\nKe tim pemenangan calon", 1),
]
EVENTS = [
    # (organizer username, theme, title, held_on, place, target unit names, with tests, attendees per unit)
    ("bkpsdm.beltim", "asn-neutrality", "Sosialisasi Netralitas ASN Pemilihan 2024", date(2024, 9, 24),
     "Aula BKPSDM Belitung Timur", ["Dinas Kesehatan", "Dinas Pendidikan"], True, 12),
    ("staf.beltim", "anti-money-politics", "Sosialisasi Anti Politik Uang bagi ASN", date(2024, 10, 15),
     "Kantor Bawaslu Kabupaten Belitung Timur", [], False, 6),
    ("staf.beltim", "anti-black-campaign", "Sosialisasi Anti Kampanye Hitam bagi ASN", date(2024, 10, 29),
     "Gedung Nasional Manggar", ["Kecamatan Manggar", "Kecamatan Gantung"], False, 8),
]
MATERIALS = [
    ("Video Netralitas ASN (tautan dari SE Gubernur Babel 800/46/BKPSDMD-II/2024)", "video", "asn-neutrality",
     "https://bit.ly/ASN-Netral",
     "Video yang diminta ditayangkan oleh SE Gubernur Kepulauan Bangka Belitung 800/46/BKPSDMD-II/2024 angka 3 huruf a."),
    ("Kanal pengaduan ASN Provinsi Kepulauan Bangka Belitung", "other", "asn-neutrality",
     "https://lapor.babelprov.go.id/silaporasn",
     "Tautan pengaduan dalam SE Gubernur Kepulauan Bangka Belitung 800/46/BKPSDMD-II/2024 angka 4."),
]


def _users():
    return {user.username: user for user in User.objects.select_related("bawaslu_office__region", "agency__region")
            .filter(username__in=["bkpsdm.beltim", "staf.beltim"])}


def seed_prevention() -> dict[str, int]:
    counts: dict[str, int] = {}

    def tally(key, n=1):
        if n:
            counts[key] = counts.get(key, 0) + n

    users = _users()
    election = Election.objects.filter(pk="pilkada-2024").first()
    if len(users) < 2 or election is None:
        return counts
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    for theme_id, text, choices, answer in QUESTIONS:
        _q, created = Question.objects.get_or_create(theme=themes[theme_id], text=text,
                                                     defaults={"choices": choices, "answer": answer})
        tally("questions_created", created)

    for username, theme_id, title, held_on, place, unit_names, with_tests, per_unit in EVENTS:
        actor = users[username]
        organizer = services.organizer_of(user=actor)
        event = Event.objects.filter(title=title, office=organizer["office"], agency=organizer["agency"]).first()
        if event is not None:
            continue
        units = list(services.units_allowed_for(organizer=organizer).filter(name__in=unit_names))
        event = services.event_create(actor=actor, theme=themes[theme_id], title=title, held_on=held_on,
                                      place=place, election=election, target_units=units, with_tests=with_tests,
                                      speakers="Koordinator Divisi Pencegahan Bawaslu Kabupaten Belitung Timur\n"
                                               "Kepala BKPSDM Kabupaten Belitung Timur")
        tally("events_created")
        services.event_invite_targets(event=event, actor=actor)
        chosen = _attendees(event, per_unit)
        for index, employee in enumerate(chosen):
            attendance = services.attendance_check_in(event=event, employee=employee, actor=actor,
                                                      method="desk" if index % 3 else "phone").attendance
            tally("attendances_created")
            if with_tests:
                questions = services.quiz_questions(event=event)
                pre = {q.pk: (q.answer if (index + q.pk) % 2 else 0) for q in questions}
                services.quiz_submit(attendance=attendance, phase=TestScore.Phase.PRE, answers=pre)
                post = {q.pk: (q.answer if (index + q.pk) % 5 else 0) for q in questions}
                services.quiz_submit(attendance=attendance, phase=TestScore.Phase.POST, answers=post)
        services.event_update_record(
            event=event, actor=actor, checkin_open=False,
            minutes="Kegiatan dibuka, materi disampaikan oleh narasumber, dilanjutkan tanya jawab. (data demo)")

    # A pledge ceremony of the sub-district heads (seed 002), recorded by BKPSDM.
    pemda = users["bkpsdm.beltim"]
    ceremony = Ceremony.objects.filter(title="Ikrar Netralitas Camat se-Kabupaten Belitung Timur").first()
    if ceremony is None:
        ceremony = services.ceremony_create(actor=pemda, title="Ikrar Netralitas Camat se-Kabupaten Belitung Timur",
                                            election=election, held_on=date(2024, 10, 7), place="Manggar")
        heads = Employee.objects.filter(active=True, agency=pemda.agency, unit__name__startswith="Kecamatan",
                                        position__startswith="Camat")
        new, _old = services.ceremony_sign(ceremony=ceremony, actor=pemda, employees=list(heads))
        tally("pledges_created", new)
    # A few ASN signed on their own phones, with a typed name.
    for employee in Employee.objects.filter(active=True, agency=pemda.agency, unit__name="Dinas Kesehatan",
                                            kind="pns").order_by("nip")[:10]:
        _pledge, created = services.pledge_sign(employee=employee, election=election, typed_name=employee.name)
        tally("pledges_created", created)

    for title, kind, theme_id, url, description in MATERIALS:
        if not Material.objects.filter(title=title).exists():
            services.material_add(actor=users["staf.beltim"], title=title, kind=kind, theme=themes[theme_id],
                                  url=url, description=description)
            tally("materials_created")

    template = services.banner_template_default()
    for unit in Unit.objects.filter(agency=pemda.agency, name__in=["Dinas Kesehatan", "Kecamatan Manggar"]):
        if not Banner.objects.filter(unit=unit, election=election).exists():
            services.banner_create(actor=pemda, unit=unit, election=election, template=template,
                                   head_name=unit.head_name or "Nama Kepala", head_position=unit.head_position
                                   or "Jabatan", leaders="")
            tally("banners_created")
    return counts


def _attendees(event, per_unit):
    eligible = services.eligible_employees(event=event).exclude(kind="contract").order_by("unit_id", "nip")
    chosen, seen = [], {}
    for employee in eligible.iterator():
        if seen.get(employee.unit_id, 0) < per_unit:
            seen[employee.unit_id] = seen.get(employee.unit_id, 0) + 1
            chosen.append(employee)
        if len(seen) > 12 and all(n >= per_unit for n in seen.values()):
            break
    return chosen[:60]
