"""The demo region file: well-formed, sourced, and with the codes the demo relies on."""

import yaml

from regions.services import DATA_DIR

DATA_FILE = DATA_DIR / "bangka_belitung.yaml"


def test_the_region_file_cites_its_source_and_asks_to_be_verified():
    document = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    assert "Permendagri 72/2019" in document["source"]
    assert "verify against the current Kepmendagri" in document["note"]


def test_the_region_file_holds_the_province_its_regencies_and_the_belitung_timur_districts():
    codes = {entry["code"]: entry["name"] for entry in yaml.safe_load(DATA_FILE.read_text())["regions"]}
    assert codes["19"] == "Kepulauan Bangka Belitung"
    assert sorted(code for code in codes if code.count(".") == 1) == [
        "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]
    assert [codes[f"19.06.0{n}"] for n in range(1, 8)] == [
        "Manggar", "Gantung", "Dendang", "Kelapa Kampit", "Damar", "Simpang Renggiang", "Simpang Pesak"]
    assert codes["19.01.01"] == "Sungailiat"
