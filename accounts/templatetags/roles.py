"""``{% if user|can:"manage_prevention" %}``: the templates ask the same table as the views."""

from django import template

from accounts.permissions import Capability
from accounts.permissions import can as user_can

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    return user_can(user, Capability(capability))  # a misspelt capability fails loudly (ValueError)
