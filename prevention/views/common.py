"""What several prevention pages share: paging, the pledge's verification link and certificate, units."""

from django.conf import settings
from django.core.paginator import Paginator
from django.urls import reverse

from netral.files import bytes_response
from netral.paginator import BoundedPaginator
from prevention import codes, documents, services

PAGE_SIZE = 25


def paginate(request, queryset, *, param: str = "page", bounded: bool = False):
    """A page of ``queryset`` chosen by the GET parameter ``param``, and the query string of the other
    parameters (for the links to the other pages; includes/pagination.html with its ``param``).

    ``bounded``: counted only up to a bound (netral/paginator.py; includes/bounded_pagination.html),
    for a list that grows with the country (the signed pledges)."""
    number = request.GET.get(param)
    if bounded:
        page = BoundedPaginator(queryset, PAGE_SIZE, page=number).get_page(number)
    else:
        page = Paginator(queryset, PAGE_SIZE).get_page(number)
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()


def pledge_verify_url(request, pledge) -> str:
    token = codes.signed_token(pledge.code, settings.SECRET_KEY)
    return request.build_absolute_uri(reverse("prevention:verify", args=[token]))


def certificate_response(request, pledge):
    pdf = documents.certificate_pdf(pledge, verify_url=pledge_verify_url(request, pledge))
    return bytes_response(pdf, filename=f"sertifikat-ikrar-{pledge.code[:8]}.pdf", content_type="application/pdf")


def units_for(user):
    return services.units_allowed_for(organizer=services.organizer_of(user=user))
