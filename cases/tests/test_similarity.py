import pytest

from cases.similarity import similarity


@pytest.mark.parametrize(("first", "second", "low", "high"), [
    pytest.param("Camat Manggar berorasi di kampanye calon bupati", "Camat Manggar berorasi di kampanye calon bupati",
                 1.0, 1.0, id="same"),
    pytest.param("Camat Manggar berorasi di kampanye calon bupati nomor 2",
                 "Saya melihat camat Manggar ikut berorasi di kampanye calon bupati", 0.5, 0.9, id="same-event"),
    pytest.param("Guru memasang baliho di sekolah", "Camat berorasi di lapangan", 0.0, 0.0, id="different"),
    pytest.param("", "Camat berorasi", 0.0, 0.0, id="empty"),
])
def test_similarity(first, second, low, high):
    assert low <= similarity(first, second) <= high
