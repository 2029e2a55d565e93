import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_even_for_a_browser_set_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_the_language_switch_gives_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "en" and '<html lang="en">' in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies["netral_language"] = "fr"
    assert client.get("/")["Content-Language"] == "id"


def test_a_missing_page_answers_in_indonesian(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.content.decode()
