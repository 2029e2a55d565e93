"""The registry of audit action names: every entry of the audit log names one of these.

An auditor reads the log by these names, so each says what happened in a sentence; a name
that is not here is refused by ``audit.services.audit_record`` (a programming error, caught by
the tests), and ``audit/tests/test_actions.py`` scans the source for names written in calls.
Pure: no app is imported (audit is the ground floor).

Names are ``<area>.<what happened>``. Admin edits of prevention's reference tables are named
after the model (``<model>.added`` / ``.changed`` / ``.deleted``): ADMIN_MODELS lists them.
"""

import re

ACTIONS: dict[str, str] = {
    # Staff accounts and partner tokens
    "account.backup_codes_made": "A staff member generated new backup codes for the second factor.",
    "account.password_reset": "A password was reset through the e-mailed link.",
    "account.second_factor_removed": "An administrator removed a staff member's authenticator app.",
    "account.second_factor_set": "A staff member enrolled an authenticator app (TOTP).",
    "invitation.sent": "An administrator or a province office invited a Pemda's PPK or personnel staff member "
                       "(an inactive account and a one-time link by e-mail).",
    "invitation.resent": "An invitation link was sent again; the previous link stopped working.",
    "invitation.revoked": "An open invitation link was withdrawn before it was used.",
    "invitation.accepted": "An invited person followed the link and chose a password; the account is active.",
    "api.called": "A partner system called the API with its token.",
    "api.refused": "A call to the partner API with a missing, wrong or expired token was refused.",
    "api.token_created": "An administrator issued a partner token.",
    "api.token_revoked": "A partner token was revoked.",
    "api.report_received": "A partner system handed in a report through the API (the token is named by its prefix).",
    # Reports and the reporter
    "report.submitted": "A report was filed (anonymously or with an encrypted identity).",
    "report.status_changed": "Staff moved a report to another status of its state machine.",
    "report.withdrawn": "The reporter withdrew the report before registration.",
    "report.completion_requested": "Staff asked the reporter to complete the report; the clock paused.",
    "report.handed_over": "A report filed at the wrong office was handed over to the competent one.",
    "report.reporter_wrote": "The reporter sent a message (and files) on the tracking page.",
    "report.staff_wrote": "Staff sent a message to the reporter.",
    "report.announced": "The outcome of the report was announced to the reporter.",
    "report.notices_stopped": "The reporter stopped the e-mail notices of news on the report (tracking page).",
    "report.identity_requested": "A staff member asked, with a reason, to see a reporter's identity.",
    "report.identity_request_approved": "A second person approved a request to see a reporter's identity.",
    "report.identity_request_refused": "A second person refused a request to see a reporter's identity.",
    "report.identity_viewed": "A staff member read a reporter's identity.",
    "report.identity_purged": "A reporter's identity was erased after the retention period.",
    # Conversations on the messaging channels (intake/)
    "intake.conversation_started": "A reporter began a conversation on WhatsApp, Telegram or SMS.",
    "intake.conversation_completed": "A conversation on a messaging channel became a report.",
    "intake.conversation_cancelled": "The reporter cancelled a conversation (BATAL); its answers and files were discarded.",
    "intake.conversation_abandoned": "A conversation silent for too long was discarded with its answers and files.",
    "intake.upload_link_used": "An SMS reporter opened the one-time link to add files to the report on the web.",
    "intake.email_answered": "An e-mail to the reporting address was answered without a report (the template, or a polite refusal); nothing of it was kept.",
    "intake.notices_stopped": "A reporter sent BERHENTI: no staff reply or notice goes out on that channel any more.",
    "intake.sender_viewed": "A staff member who opened the reporter's identity saw the number a chat report came from.",
    # Cases
    "case.registered": "A report that met every requirement was registered as a case.",
    "case.finding_registered": "Staff registered a finding (temuan).",
    "case.study_started": "The study (kajian) of a case started.",
    "case.study_extended": "The study was extended because more information was needed.",
    "case.clarification_scheduled": "A clarification session was scheduled, with its invitation letter.",
    "case.minutes_recorded": "The minutes (berita acara) of a clarification were recorded.",
    "case.evidence_assessed": "A piece of evidence was assessed in the study.",
    "case.person_subject_set": "Staff set the kind of a reported person not found in the register.",
    "case.proposed": "Staff proposed the outcome of the study to the leadership.",
    "case.returned": "The leadership returned a proposal for further study.",
    "case.decided": "The leadership approved the outcome and it was announced.",
    "case.letters_issued": "The outcome letters of a case were issued (with their SHA-256).",
    "case.merged": "A case was merged into another.",
    "case.merged_in": "Another case was merged into this one.",
    "case.rules_corrected": "A corrected deadline entry was applied to an open case (old and new rule).",
    "cases.deadlines_notified": "The daily deadline notices were sent to the offices' staff.",
    "cases.deadlines_recomputed": "Open cases' deadlines were recomputed after a calendar correction.",
    "cases.person_keys_refreshed": "The stored keys that group a reported person's cases were recomputed (how many changed).",
    "cases.person_elections_rebuilt": "The repeat offenders' stored figures were recomputed whole from the reported persons (nightly job or command).",
    "reports.deadlines_recomputed": "The stored next deadlines of running reports were recomputed (calendar "
    "correction, daily run); the reports whose date moved are listed.",
    # Follow-up of recommendations
    "followup.forwarding_opened": "A case forwarded to the civil-service authority became its obligation.",
    "followup.acknowledged": "The addressee acknowledged a recommendation.",
    "followup.recommended": "The authority issued a recommendation to the PPK, with its letter.",
    "followup.decided": "The addressee recorded its decision (a sanction with its letter, or a refusal).",
    "followup.reminders_sent": "The daily run sent reminders for overdue recommendations.",
    "followup.reminded": "The daily run sent a reminder letter for an overdue recommendation.",
    "followup.escalated": "An ignored recommendation was escalated one level.",
    "followup.tallies_rebuilt": "The compliance dashboard's precomputed figures were recomputed whole from the recommendations.",
    "followup.public_figures_rebuilt": "The public statistics' stored figures were recomputed whole (nightly job or command).",
    # Official letters
    "letter.issued": "An official letter was numbered, rendered and stored (kind, number, SHA-256).",
    "official.added": "An official who signs an office's or authority's letters was recorded, with the period.",
    "official.changed": "A letter signatory's name, position or period was changed (before and after).",
    "official.deleted": "A letter signatory recorded by mistake was removed (letters keep their copy).",
    "office.logo_set": "An office's letterhead logo was uploaded (metadata stripped, SHA-256 kept).",
    "office.logo_removed": "An office's letterhead logo was removed.",
    # The ASN register
    "registry.import_uploaded": "A register file was uploaded for import.",
    "registry.import_received": "A register batch arrived through the partner API.",
    "registry.import_preview_requested": "The preview of a register import was requested.",
    "registry.import_reread": "A register file was read again with another column mapping.",
    "registry.import_commit_requested": "The commit of a register import was requested.",
    "registry.import_committed": "A register import was applied to the register.",
    "registry.import_cancelled": "A register import was cancelled.",
    "registry.unit_added": "A unit named by rows of a register import was added to the agency from the preview.",
    "registry.exported": "The register was exported.",
    # Exports built in the background (exports app): asked, built, downloaded, expired
    "export.requested": "A staff member asked for an export; it was queued for the background worker.",
    "export.started": "The background worker started building an export.",
    "export.ready": "An export's file was built and stored for the staff member who asked for it.",
    "export.failed": "An export could not be built; its job records why and no file was kept.",
    "export.downloaded": "The staff member who asked for an export downloaded its file.",
    "export.expired": "An expired export and its file were deleted by the daily purge.",
    # Prevention
    "event.created": "A socialization event was created.",
    "event.updated": "A socialization event was changed.",
    "event.invited": "Employees were invited to an event from the register.",
    "event.checked_in": "A participant was checked in to an event.",
    "event.photo_added": "A photo (metadata stripped) was added to an event.",
    "event.test_taken": "A participant took a pre- or post-test.",
    "material.added": "A socialization material was added.",
    "asn_notice.queued": "Pemda personnel staff sent a notice or circular to the ASN of chosen units (queued).",
    "asn_notice.sent": "The background run delivered a notice to ASN: every recipient sent, failed or without e-mail.",
    "material.published": "A socialization material was published.",
    "material.withdrawn": "A published socialization material was withdrawn.",
    "pledge.signed": "A neutrality pledge (ikrar) was signed.",
    "pledge.revoked": "A signed pledge was revoked.",
    "pledge.coverage_rebuilt": "The pledges' stored coverage per unit and agency was recomputed whole from the "
                               "register (nightly job or command).",
    "ceremony.created": "A pledge ceremony was created.",
    "ceremony.signed": "Pledges were signed at a ceremony.",
    "banner.created": "An \"ASN Netral\" banner was recorded.",
    "checklist.item_recorded": "A unit head recorded an item of their unit's checklist for an election "
                               "(socialisation, neutrality video, banner), done or not, with its evidence.",
    "checklist.photo_added": "A unit head added a photo (metadata stripped) to an item of their unit's checklist.",
    # Agreements
    "agreement.recorded": "An agreement (MoU) was recorded.",
    "agreement.work_plan_item_added": "A row was added to an agreement's work plan.",
    "agreement.target_edited": "An indicator's target was changed.",
    "agreement.value_recorded": "A manual indicator value was recorded with its evidence.",
    "agreement.document_uploaded": "A document was attached to an agreement.",
    "agreement.meeting_recorded": "A monitoring and evaluation meeting was recorded.",
    "agreement.addendum_proposed": "An addendum to an agreement was proposed.",
    "agreement.addendum_approved": "An addendum was approved by both parties.",
    "agreement.terminated": "An agreement was ended early.",
    "agreement.duty_status_changed": "A party set the status of one of its duties in an agreement's work plan.",
    "agreement.duty_evidence_added": "Evidence (document, photo, link or live figure) was added to a duty.",
    "agreement.budget_set": "A party's budget for an activity of an agreement was recorded or changed.",
    "agreement.spending_recorded": "Spending on an agreement's activity was recorded with its evidence.",
    "agreement.dissemination_recorded": "A post or broadcast of neutrality material by a party was recorded.",
    "agreement.official_appointed": "A party appointed a signatory or focal point; a replaced one's period was closed.",
    "agreement.dispute_raised": "A party raised a dispute or a difference of interpretation of an agreement.",
    "agreement.deliberation_recorded": "A deliberation (musyawarah) on an agreement's dispute was recorded.",
    "agreement.dispute_closed": "A dispute of an agreement was closed, resolved or not, with its outcome.",
    "agreement.standalone_meeting_recorded": "An office or Pemda recorded an evaluation meeting of an election "
                                             "that belongs to no agreement.",
    # The law data and the calendar
    "rules.loaded": "A new version of the law data was loaded (each changed entry with old and new value).",
    "rules.calendar_changed": "An administrator added, removed or changed a day of the holiday calendar.",
    "rules.calendar_deleted": "An administrator deleted a calendar correction.",
    "rules.calendar_year_confirmed": "An administrator confirmed a year's holidays against its joint decree.",
    "rules.calendar_year_changed": "An administrator changed a confirmed year's decree.",
    "rules.calendar_year_unconfirmed": "An administrator withdrew the confirmation of a year.",
    "rules.calendar_confirmation_requested": "Administrators were asked to confirm next year's holidays.",
    # Operations and the demo
    "task.abandoned": "A background task failed too often and was marked failed.",
    "task.requeued": "A background task left running by a killed worker was put back in the queue.",
    "regions.edition_applied": "An edition of the official region codes was applied (new, renamed, retired regions).",
    "organizations.country_loaded": "The Bawaslu offices and regional governments of every loaded region were created.",
    "demo.seeded": "The demo data was created.",
    "demo.totp_set": "The demo accounts got the published demo authenticator key.",
}

# Prevention's reference tables edited in the Django admin: <model>.added / .changed / .deleted.
ADMIN_MODELS = frozenset({"theme", "question", "pledgetext", "bannertemplate"})
ADMIN_ACTION = re.compile(r"^(?P<model>[a-z]+)\.(added|changed|deleted)$")


class UnregisteredAction(ValueError):
    """An audit action name that is not in the registry."""


def is_registered(action: str) -> bool:
    if action in ACTIONS:
        return True
    match = ADMIN_ACTION.match(action)
    return bool(match and match["model"] in ADMIN_MODELS)


def describe(action: str) -> str:
    """The action in a sentence, for the auditor."""
    if action in ACTIONS:
        return ACTIONS[action]
    match = ADMIN_ACTION.match(action)
    if match and match["model"] in ADMIN_MODELS:
        return f"An administrator {match[2]} a {match['model']} in the admin."
    raise UnregisteredAction(action)
