"""Writes to the organizations: the Bawaslu offices and regional governments of the country."""

from pathlib import Path

import yaml
from django.db import transaction

from audit.services import audit_record
from organizations.models import Agency, BawasluOffice
from regions.models import Region

COUNTRY_FILE = Path(__file__).resolve().parent / "data" / "country.yaml"


def _country_data() -> dict:
    return yaml.safe_load(COUNTRY_FILE.read_text(encoding="utf-8"))


def office_number_code(region: Region, *, data: dict | None = None) -> str:
    """The office code of the Bawaslu office over a province or regency (organizations/data/country.yaml)."""
    data = data or _country_data()
    province_code = region.code.split(".")[0]
    province = data["province_letters"].get(province_code, province_code)
    if region.level == Region.Level.PROVINCE:
        return data["province_pattern"].format(province=province)
    return data["regency_pattern"].format(province=province, regency=region.code.split(".")[1])


def office_names(region: Region) -> tuple[str, str]:
    """(name, short name) of the Bawaslu office over a province or regency/city."""
    if region.level == Region.Level.PROVINCE:
        return f"Bawaslu Provinsi {region.name}", f"Bawaslu Prov. {region.name}"[:60]
    short = region.name.removeprefix("Kabupaten ")
    short = f"Kab. {short}" if short != region.name else short
    return f"Bawaslu {region.name}"[:150], f"Bawaslu {short}"[:60]


def agency_name_and_ppk(region: Region, province: Region) -> tuple[str, str]:
    """(name, PPK title) of the regional government of a province or regency/city.

    The regional head is the PPK of the regional government's civil servants: the governor, the
    regent (bupati) or the mayor (wali kota). Jakarta's administrative regency and cities are not
    autonomous: their civil servants are the province's, whose PPK is the governor.
    """
    if region.level == Region.Level.PROVINCE:
        return f"Pemerintah Provinsi {region.name}", f"Gubernur {region.name}"
    name = f"Pemerintah {region.name}"
    if region.name.startswith(("Kabupaten Administrasi ", "Kota Administrasi ")):
        return name, f"Gubernur {province.name}"
    if region.name.startswith("Kota "):
        return name, "Wali Kota " + region.name.removeprefix("Kota ")
    return name, "Bupati " + region.name.removeprefix("Kabupaten ")


@transaction.atomic
def organizations_load_country(*, actor=None) -> dict[str, int]:
    """Bawaslu RI, an office over every current province and regency/city, and their regional governments.

    Idempotent: an office is matched by its region, a regional government by its region and kind;
    what exists is never overwritten (an office's code or name may have been corrected in the
    admin). Retired regions get nothing new. Returns how many were created and how many existed.
    """
    data = _country_data()
    country = Region.objects.get(code="ID")
    regions = list(
        Region.objects.filter(
            level__in=[Region.Level.PROVINCE, Region.Level.REGENCY], retired_in=""
        ).order_by("code")
    )
    provinces = {region.code: region for region in regions if region.level == Region.Level.PROVINCE}
    with_office = set(BawasluOffice.objects.values_list("region_id", flat=True))
    with_agency = set(Agency.objects.filter(kind=Agency.Kind.REGIONAL).values_list("region_id", flat=True))
    taken_names = set(Agency.objects.values_list("name", flat=True))
    offices, agencies = [], []
    if country.pk not in with_office:
        national = data["national"]
        offices.append(
            BawasluOffice(
                region=country,
                name=national["name"],
                short_name=national["short_name"],
                number_code=national["number_code"],
            )
        )
    for region in regions:
        if region.pk not in with_office:
            name, short_name = office_names(region)
            offices.append(
                BawasluOffice(
                    region=region,
                    name=name,
                    short_name=short_name,
                    number_code=office_number_code(region, data=data),
                )
            )
        if region.pk not in with_agency:
            province = provinces.get(region.code.split(".")[0], region)
            name, ppk_title = agency_name_and_ppk(region, province)
            if name in taken_names:  # the same name over another region: say where
                name = f"{name} ({region.code})"
            taken_names.add(name)
            agencies.append(Agency(name=name, kind=Agency.Kind.REGIONAL, region=region, ppk_title=ppk_title))
    BawasluOffice.objects.bulk_create(offices, batch_size=1000)
    Agency.objects.bulk_create(agencies, batch_size=1000)
    counts = {
        "offices_created": len(offices),
        "offices_existing": len(with_office),
        "agencies_created": len(agencies),
        "agencies_existing": len(with_agency),
    }
    if offices or agencies:
        audit_record(
            actor=actor,
            action="organizations.country_loaded",
            target="organizations.bawasluoffice:",
            data=counts,
        )
    return counts
