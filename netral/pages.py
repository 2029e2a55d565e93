"""Template filters of the project's own base template (registered as the library "pages")."""

from django import template

register = template.Library()

SITE = "Netral"


@register.filter(is_safe=True)
def page_title(text) -> str:
    """The browser tab's title: the page's own title, a separator, the site ("Statistik · Netral")."""
    text = " ".join(str(text).split())
    return f"{text} · {SITE}" if text else SITE
