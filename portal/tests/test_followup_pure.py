"""The pure parts of the public follow-up: masking, charts, the open-data formats."""

import csv
import io
import json
from datetime import date

import pytest

from followup import opendata
from followup.public import mask_name
from portal.charts import bar_chart, shorten


@pytest.mark.parametrize(("name", "masked"), [
    pytest.param("Rudi Hartono", "R*** H******", id="two-words"),
    pytest.param("  Siti   Nur Aisyah ", "S*** N** A*****", id="extra-spaces"),
    # Titles go: a degree singles its holder out in a small unit (issue 18, item 11).
    pytest.param("Drs. Agus Salim, M.Si.", "A*** S****", id="titles-dropped"),
    pytest.param("dr. Siti Aminah, S.Kom.", "S*** A*****", id="degree-front-and-back"),
    pytest.param("", "", id="empty"),
])
def test_a_name_keeps_only_each_words_first_letter(name, masked):
    assert mask_name(name) == masked


def test_bars_are_proportional_with_the_largest_filling_the_room():
    chart = bar_chart([("Sanksi", 10), ("Ditolak", 5), ("Belum", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == chart.width - 44 and widths[1] == widths[0] / 2 and widths[2] == 0
    assert chart.total == 15 and not chart.empty
    assert [bar.bar_y for bar in chart.bars] == sorted(bar.bar_y for bar in chart.bars)
    assert chart.height == chart.bars[-1].bar_y + chart.bar_height


def test_a_small_non_zero_bar_stays_visible_and_an_all_zero_chart_is_empty():
    assert bar_chart([("a", 1000), ("b", 1)]).bars[1].width == 2.0
    assert bar_chart([("a", 0)]).empty and bar_chart([]).empty


def test_long_labels_are_shortened_in_the_picture_only():
    label = "Memasang spanduk atau baliho yang mempromosikan dirinya sendiri sebagai bakal calon kepala daerah"
    bar = bar_chart([(label, 3)]).bars[0]
    assert bar.label == label and bar.short_label.endswith("…") and len(bar.short_label) <= 52
    assert shorten("pendek") == "pendek"


def _record(**changes):
    record = {name: "" for name in opendata.REGISTER.header}
    record.update({"id": 7, "case_registered_on": date(2024, 12, 2), "acted_in_time": True, "days_overdue": None,
                   **changes})
    return record


def test_csv_cells_follow_the_data_dictionary_types():
    text = "".join(opendata.csv_lines(opendata.REGISTER, [_record(unit='Dinas "Kesehatan", Manggar')]))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == opendata.REGISTER.header
    assert rows[0]["id"] == "7" and rows[0]["case_registered_on"] == "2024-12-02"
    assert rows[0]["acted_in_time"] == "true" and rows[0]["days_overdue"] == ""
    assert rows[0]["unit"] == 'Dinas "Kesehatan", Manggar'


def test_json_is_a_list_of_objects_with_the_csv_names():
    data = json.loads("".join(opendata.json_chunks(opendata.REGISTER, [_record(), _record(id=8)])))
    assert [item["id"] for item in data] == [7, 8]
    assert list(data[0]) == opendata.REGISTER.header
    assert data[0]["case_registered_on"] == "2024-12-02" and data[0]["days_overdue"] is None
    assert json.loads("".join(opendata.json_chunks(opendata.REGISTER, []))) == []


def test_every_field_has_a_type_and_both_descriptions():
    for dataset in opendata.DATASETS:
        assert len(set(dataset.header)) == len(dataset.header)
        for field in dataset.fields:
            assert field.type in {"string", "integer", "date", "boolean"}
            assert field.description_id and field.description_en


def test_the_register_has_no_field_for_identity_numbers_files_or_reasons():
    forbidden = {"nip", "nik", "reporter", "file", "considerations", "reason", "letter_number"}
    assert not forbidden & set(opendata.REGISTER.header)
