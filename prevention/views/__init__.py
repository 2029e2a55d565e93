"""Thin views: access, form, one service call; one module per concern (prevention/urls.py maps them).

- ``public_pages``: the ASN's pages, no login: the pledge and its verification, the QR
  check-in and the tests, the materials library.
- ``events``: socialization events, their attendance, photos and materials, and reach.
- ``pledges``: pledge coverage and list, certificates, revoking, ceremonies.
- ``banners``, ``materials``: the "ASN Netral" banners, the materials library's contents.
- ``common``: what several of them share (paging, the certificate).
- ``checklist``: the unit checklist of the governor's circular (seed 001): a unit head's own
  unit, and each unit's progress for the Pemda side and Bawaslu (its own capabilities,
  ``record_unit_checklist`` and ``see_unit_progress``; the door is prevention/checklist.py).

Every other staff page is ``staff_view(Capability.MANAGE_PREVENTION)``; the ``access_*`` doors in
prevention/selectors.py narrow to the user's jurisdiction and own office or agency.
"""
