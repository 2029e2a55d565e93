"""What reports tell the apps above them (DESIGN.md: a lower app never imports a higher one).

``report_news`` is sent inside the transaction of a change the reporter should hear of, with
``report`` and ``kind``: "reply" (a staff message; ``body`` is its text), "status" (a status
change) or "announcement". intake receives it to write back on the channel a chat report came
by (after the commit, by a task). A receiver that raises rolls the change back.
"""

from django.dispatch import Signal

report_news = Signal()
