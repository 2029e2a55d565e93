"""What cases tell the apps above them (DESIGN.md: a lower app never imports a higher one).

``case_decided`` is sent inside the decision's transaction, after its letters are written,
with ``case``, ``actor`` and ``letters`` (the letters.Letter rows just issued). A receiver
that raises rolls the decision back.
"""

from django.dispatch import Signal

case_decided = Signal()
