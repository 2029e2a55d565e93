from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.permissions import AGENCY_ROLES, BAWASLU_ROLES, Role
from organizations.models import Agency, BawasluOffice


class User(AbstractUser):
    """A staff account. It belongs to a Bawaslu office or an agency, which fixes its jurisdiction."""

    Role = Role

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BAWASLU_STAFF)
    bawaslu_office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="staff")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="staff")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role in BAWASLU_ROLES and not self.bawaslu_office_id:
            raise ValidationError({"bawaslu_office": _("Bawaslu staff must belong to a Bawaslu office.")})
        if self.role in AGENCY_ROLES and not self.agency_id:
            raise ValidationError({"agency": _("This role must belong to an agency.")})

    @property
    def jurisdiction(self):
        """The region this account may see (with everything below it), or None."""
        if self.bawaslu_office_id:
            return self.bawaslu_office.region
        if self.agency_id:
            return self.agency.region
        return None

    @property
    def is_bawaslu(self) -> bool:
        """Bawaslu staff or leadership: the one answer (accounts.permissions.BAWASLU_ROLES)."""
        return self.role in BAWASLU_ROLES
