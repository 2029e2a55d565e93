"""What a conversation reads from the other apps (open elections, acts, regions), and its transcript."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from intake.channels import adapter_for
from intake.conversation import Context
from intake.models import Conversation
from regions.models import Region
from regions.selectors import region_candidates as regions_named
from rules.selectors import election_list_open, violation_list

MAX_REGION_CANDIDATES = 50


def election_choices() -> list[tuple[str, dict]]:
    return [(election.pk, {"id": election.title_id, "en": election.title_en}) for election in election_list_open()]


def violation_choices() -> list[tuple[str, dict]]:
    return [(violation.pk, {"id": violation.title_id, "en": violation.title_en}) for violation in violation_list()]


def region_candidates(text: str) -> list[tuple[int, str, str]]:
    """Regencies/cities and districts whose name holds what the reporter wrote: (pk, name, label).

    The same search as the web form (regions.selectors.region_candidates: current regions only);
    a district's label names its regency, so that two districts of the same name can be told apart.
    """
    return [(region.pk, region.name,
             f"{region.name} ({region.parent.name})" if region.level == Region.Level.DISTRICT else region.name)
            for region in regions_named(text, limit=MAX_REGION_CANDIDATES)]


def conversation_context(conversation: Conversation) -> Context:
    adapter = adapter_for(conversation.channel)
    return Context(
        channel=conversation.channel, today=timezone.localdate(), elections=election_choices(),
        violations=violation_choices(), find_regions=region_candidates,
        max_files=settings.NETRAL_EVIDENCE_MAX_FILES,
        max_megabytes=settings.NETRAL_EVIDENCE_MAX_BYTES // (1024 * 1024),
        files=len(conversation.staged_files), carries_media=bool(adapter and adapter.carries_media),
    )


# --- The transcript on the staff report page -----------------------------------------------------

# Answers that are the reporter's identity, and the question whose summary repeats them: shown in
# the transcript only on the page that the identity door (reports/identity.py) just opened.
IDENTITY_STEPS = frozenset({"reporter_name", "reporter_contact"})
SUMMARY_STEP = "confirm"
TRANSCRIPT_PAGE = 50


@dataclass(frozen=True)
class Line:
    at: object
    from_reporter: bool
    text: str
    hidden: bool = False  # the identity, not shown on this page
    kind: str = ""  # of an outgoing message: conversation, reply, notice
    status: str = ""  # of an outgoing message: its delivery status (display)
    media: str = ""  # the kind of file or place a reporter's message carried


def conversation_of_report(report) -> Conversation | None:
    return Conversation.objects.filter(report=report).first()


def transcript(conversation: Conversation, *, anonymous: bool, identity_opened: bool) -> list[Line]:
    """The conversation's messages both ways, oldest first, decrypted, with identity answers hidden.

    The caller has passed reports.selectors.access_report (the staff door) for the report.
    """
    lines = []
    for message in conversation.inbound.all().order_by("received_at", "id"):
        payload = message.payload or {}
        media = ""
        if payload.get("kind") == "media":
            media = (payload.get("media") or {}).get("name") or payload.get("detail") or "file"
        elif payload.get("kind") == "location":
            place = payload.get("location") or {}
            media = f"{place.get('latitude')}, {place.get('longitude')}"
        lines.append(Line(at=message.received_at, from_reporter=True, text=payload.get("text", ""), media=media,
                          hidden=message.step in IDENTITY_STEPS and not identity_opened))
    for message in conversation.outbound.all().order_by("created_at", "id"):
        lines.append(Line(at=message.created_at, from_reporter=False, text=message.text or "", kind=message.kind,
                          status=message.get_status_display(),
                          hidden=(message.step == SUMMARY_STEP and not anonymous and not identity_opened)))
    return sorted(lines, key=lambda line: (line.at, not line.from_reporter))
