from datetime import date

import pytest

from cases.authorities import authority_on
from rules.catalog import AUTHORITIES_FILE, CatalogError, _authorities, read_entries


@pytest.mark.parametrize(("on", "expected"), [
    (date(2020, 12, 9), "kasn"),
    (date(2024, 2, 14), "kasn"),
    (date(2024, 8, 23), "kasn"),
    (date(2024, 8, 24), "bkn"),
    (date(2024, 11, 27), "bkn"),
])
def test_the_receiving_authority_follows_its_validity_dates(on, expected):
    assert authority_on(on).id == expected


def test_overlapping_authorities_are_refused(tmp_path):
    path = tmp_path / "authorities.yaml"
    path.write_text("""
- {id: a, kind: civil_service, name: {id: A, en: A}, addressee: A, valid_from: 2020-01-01, valid_until: 2024-12-31,
   source: s}
- {id: b, kind: civil_service, name: {id: B, en: B}, addressee: B, valid_from: 2024-08-24, source: s}
""")
    with pytest.raises(CatalogError, match='"a" overlaps "b"'):
        _authorities(read_entries(tmp_path, AUTHORITIES_FILE))
