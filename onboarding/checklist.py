"""The guided checklist of bringing a regional government in: pure, no ORM, no request.

``checklist(state)`` reads what an agency has done (onboarding.selectors.agency_state builds the
state from the database) and says, item by item, whether it is done, what is missing and where
to do it. An agency is live when every item is done (``is_live``). The national list
(onboarding.selectors.onboarding_agencies_for) asks the same questions in SQL, one query per
page; onboarding/tests/test_selectors.py checks both answers agree.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_NAMES = 5  # an item names at most this many people; the rest is a count


@dataclass(frozen=True)
class AgencyState:
    ppk_named: bool  # a PPK account invited (pending) or active
    personnel_named: bool  # a personnel-staff account invited or active
    unenrolled: int  # invited or active PPK/personnel accounts without a confirmed authenticator app
    register_imported: bool  # a register import of the agency committed (registry.ImportJob)
    agreement_recorded: bool  # the agency is a party to a recorded agreement (agreements.Party)
    unenrolled_names: tuple[str, ...] = ()  # the first MAX_NAMES of them, for the detail page


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    done: bool
    missing: str  # empty when done
    url_name: str  # where to do it (a URL name; the agency page's own sections have ``anchor``)
    anchor: str = ""
    needs_agency: bool = False  # the URL takes the agency's pk
    capability: str = ""  # the link is shown to who holds it (accounts.permissions); empty: who may invite


def _names(state: AgencyState) -> str:
    names = ", ".join(state.unenrolled_names[:MAX_NAMES])
    rest = state.unenrolled - min(len(state.unenrolled_names), MAX_NAMES)
    if not names:
        return ngettext("%(count)d account", "%(count)d accounts", state.unenrolled) % {"count": state.unenrolled}
    if rest > 0:
        names += " " + ngettext("and %(count)d more", "and %(count)d more", rest) % {"count": rest}
    return names


def checklist(state: AgencyState) -> list[Item]:
    anyone = state.ppk_named or state.personnel_named
    if not anyone:
        enrolled_missing = _("Invite the PPK and the personnel staff first; each then sets up their own "
                             "authenticator app.")
    elif state.unenrolled:
        enrolled_missing = _("Not yet enrolled (password and authenticator app): %(names)s. Send the "
                             "invitation again if the link has expired.") % {"names": _names(state)}
    else:
        enrolled_missing = ""
    return [
        Item("ppk", _("PPK named"), state.ppk_named,
             "" if state.ppk_named else _("No account of the PPK (or the inspectorate) has been invited yet."),
             "onboarding:agency", anchor="undang", needs_agency=True),
        Item("personnel", _("Personnel staff named"), state.personnel_named,
             "" if state.personnel_named else _("No account of the personnel staff (BKPSDM/BKD) has been "
                                                "invited yet."),
             "onboarding:agency", anchor="undang", needs_agency=True),
        Item("enrolled", _("Accounts enrolled with their authenticator app"), anyone and not state.unenrolled,
             enrolled_missing, "onboarding:agency", anchor="akun", needs_agency=True),
        Item("register", _("First ASN register import committed"), state.register_imported,
             "" if state.register_imported else _("The personnel staff import the agency's ASN register (CSV "
                                                  "or Excel) and commit it."),
             "registry:upload", capability="exchange_register"),
        Item("agreement", _("First agreement recorded"), state.agreement_recorded,
             "" if state.agreement_recorded else _("The agreement (MoU) between Bawaslu and the local "
                                                   "government has not been recorded yet."),
             "agreements:new", capability="record_agreements"),
    ]


def is_live(items: list[Item]) -> bool:
    return all(item.done for item in items)


def progress(items: list[Item]) -> tuple[int, int]:
    """(items done, items in all)."""
    return sum(item.done for item in items), len(items)
