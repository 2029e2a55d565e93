"""The one HTTP client of the adapters, against a real server: limits, errors, no secret in messages."""

import pytest

from intake.channels.base import ProviderError, TooLarge, http_call


def test_an_answer_is_read_whole_within_the_limit(provider):
    provider.route("GET", "/file", body=b"x" * 1000)
    assert http_call("GET", provider.url + "/file", max_bytes=1000).body == b"x" * 1000


@pytest.mark.parametrize("declare_length", [True, False], ids=["declared-too-large", "streamed-past-the-limit"])
def test_an_answer_larger_than_the_limit_is_refused(provider, declare_length):
    provider.route("GET", "/file", body=b"x" * 300_000, declare_length=declare_length)
    with pytest.raises(TooLarge):
        http_call("GET", provider.url + "/file", max_bytes=100_000)


def test_an_error_status_is_a_provider_error_that_names_no_secret(provider):
    provider.route("POST", "/bot123:SECRET/sendMessage?token=abc", {"ok": False}, status=401)
    with pytest.raises(ProviderError) as failure:
        http_call("POST", provider.url + "/bot123:SECRET/sendMessage?token=abc", json_body={}, redact="123:SECRET")
    assert "HTTP 401" in str(failure.value)
    assert "SECRET" not in str(failure.value) and "abc" not in str(failure.value)


def test_a_refused_connection_is_a_provider_error(provider):
    with pytest.raises(ProviderError):
        http_call("GET", "http://127.0.0.1:9/")
