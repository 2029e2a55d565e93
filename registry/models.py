from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.crypto import EncryptedJSONField
from organizations.models import Agency, Unit
from registry.nip import NipError, normalize_nip, parse_pns_nip, parse_pppk_ni


class Employee(models.Model):
    """One person in the ASN register: PNS, PPPK, or non-ASN contract staff."""

    class Kind(models.TextChoices):
        PNS = "pns", _("Civil servant (PNS)")
        PPPK = "pppk", _("Government employee on contract (PPPK)")
        CONTRACT = "contract", _("Contract staff (non-ASN)")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # NIP for PNS, NI PPPK for PPPK; contract staff have none.
    nip = models.CharField(_("NIP"), max_length=18, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=150, db_index=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    rank = models.CharField(_("rank/grade"), max_length=60, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="employees")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="employees")
    active = models.BooleanField(_("active"), default=True)
    # The ID-card number (NIK) of contract staff who have no NIP: personal data, encrypted.
    nik = EncryptedJSONField(_("NIK"), null=True, blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="contract") | models.Q(nip__isnull=False),
                name="employee_asn_has_nip",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="contract") | models.Q(nip__isnull=True),
                name="employee_contract_has_no_nip",
            ),
        ]
        indexes = [models.Index(fields=["agency", "unit", "active"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.nip = normalize_nip(self.nip) or None
        parser = {self.Kind.PNS: parse_pns_nip, self.Kind.PPPK: parse_pppk_ni}.get(self.kind)
        if parser is None:
            if self.nip:
                raise ValidationError({"nip": _("Contract staff have no NIP.")})
            return
        if not self.nip:
            raise ValidationError({"nip": _("A PNS or PPPK must have an NIP.")})
        try:
            parts = parser(self.nip)
        except NipError as error:
            raise ValidationError({"nip": error.message}) from None
        self.birth_date = parts.birth_date
        self.gender = parts.gender
