"""Every view of the staff areas is guarded by ``staff_view`` or marked ``@public``, and the guard holds.

A new staff view without the guard fails here, whatever app it is in: every URL under
``staf/`` and every view of the apps with staff pages is walked.
"""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.decorators import PUBLIC
from accounts.models import User
from accounts.permissions import Capability, Role, roles_with

# The apps with staff pages (their public pages, if any, must say so with @public).
STAFF_NAMESPACES = {"reports", "cases", "registry", "followup", "prevention", "agreements", "api_tokens"}
STAFF_PREFIXES = ("staf/", "akun/token-api/")
# A value for each URL parameter that is not a plain converter's (re_path groups).
SAMPLES = {"file_format": "csv", "fmt": "csv"}
CONVERTER_SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x"}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def _staff_area():
    return [(route, namespace, entry) for route, namespace, entry in _walk(get_resolver().url_patterns)
            if namespace in STAFF_NAMESPACES or route.lstrip("^").startswith(STAFF_PREFIXES)]


def _guarded():
    """Every guarded staff URL as (id, url, capability, hide)."""
    cases = []
    for route, namespace, entry in _staff_area():
        guard = getattr(entry.callback, "guard", None)
        if guard is None or guard is PUBLIC:
            continue
        converters = getattr(entry.pattern, "converters", {})
        names = re.findall(r"\(\?P<(\w+)>", entry.pattern.regex.pattern)
        kwargs = {name: SAMPLES.get(name) or CONVERTER_SAMPLES.get(
            type(converters[name]).__name__.removesuffix("Converter").lower(), "1") if name in converters
            else SAMPLES.get(name, "1") for name in names}
        url = reverse(f"{namespace}:{entry.name}", kwargs=kwargs)
        cases.append(pytest.param(url, guard.capability, guard.hide, id=f"{namespace}:{entry.name}"))
    return cases


def test_the_walk_finds_the_staff_pages():
    names = {f"{namespace}:{entry.name}" for _route, namespace, entry in _staff_area()}
    assert {"reports:inbox", "cases:list", "registry:home", "followup:dashboard", "prevention:banners",
            "agreements:list", "api_tokens:list"} <= names


@pytest.mark.parametrize(("route", "name", "view"), [
    pytest.param(route, f"{namespace}:{entry.name}", entry.callback, id=f"{namespace}:{entry.name}")
    for route, namespace, entry in _staff_area()
])
def test_every_view_of_the_staff_areas_is_guarded_or_marked_public(route, name, view):
    guard = getattr(view, "guard", None)
    assert guard is not None, f"{name} ({route}) has neither staff_view nor @public"
    if route.lstrip("^").startswith(STAFF_PREFIXES):
        assert guard is not PUBLIC, f"{name} ({route}) is under a staff prefix but marked public"


def _request(client, url):
    """GET, or POST for a view that only takes POST (its method check comes before the guard)."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "capability", "hide"), _guarded())
def test_a_visitor_is_sent_to_the_login(client, url, capability, hide):
    response = _request(client, url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def _outsider(capability: Capability) -> User:
    """An account the table refuses ``capability``: a role without it, else one without a place."""
    outside = [role for role in Role if role not in roles_with(capability)]
    if outside:
        return User.objects.create_user("luar", role=outside[0])
    return User.objects.create_user("luar", role=Role.PEMDA_STAFF)  # no agency: no jurisdiction


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "capability", "hide"), [
    case for case in _guarded() if case.values[1] != Capability.USE_STAFF_PAGES  # every account holds it
])
def test_an_account_without_the_capability_is_refused(client, url, capability, hide):
    client.force_login(_outsider(capability))
    assert _request(client, url).status_code == (404 if hide else 403)
