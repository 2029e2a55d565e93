"""The certificate and banner PDFs: Django templates printed by WeasyPrint through the letters
app's local-only fetcher (nothing is fetched from the network), and the banner PNG."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from letters.dates import format_date
from letters.render import html_to_pdf
from netral.qr import qr_svg
from prevention import codes
from prevention.banner import BannerSpec, parse_color, parse_leaders, render_png
from prevention.models import Banner, Pledge


def certificate_html(pledge: Pledge, *, verify_url: str) -> str:
    signed_on = timezone.localtime(pledge.signed_at).date()
    return render_to_string("prevention/pdf/certificate.html", {
        "pledge": pledge,
        "election": pledge.election.title_id,
        "signed_on": format_date(signed_on),
        "code": codes.format_code(pledge.code),
        "verify_url": verify_url,
        "qr": mark_safe(qr_svg(verify_url)),  # our own SVG markup, no user text in it
    })


def certificate_pdf(pledge: Pledge, *, verify_url: str) -> bytes:
    return html_to_pdf(certificate_html(pledge, verify_url=verify_url))


def banner_spec(banner: Banner) -> BannerSpec:
    template = banner.template
    return BannerSpec(
        headline=template.headline, subtitle=template.subtitle, election=banner.election.title_id,
        unit_name=banner.unit_name, head_name=banner.head_name, head_position=banner.head_position,
        tagline=banner.tagline, leaders=parse_leaders(banner.leaders), agency_name=banner.unit.agency.name,
        background=template.background_color, accent=template.accent_color, text=template.text_color,
    )


def banner_pdf(banner: Banner) -> bytes:
    spec = banner_spec(banner)
    for color in (spec.background, spec.accent, spec.text):
        parse_color(color)  # refuse anything but #RRGGBB before it reaches the stylesheet
    html = render_to_string("prevention/pdf/banner.html", {"spec": spec})
    return html_to_pdf(html)


def banner_png(banner: Banner) -> bytes:
    return render_png(banner_spec(banner))
