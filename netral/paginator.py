"""Pages of long lists whose count stops at a bound (issue 20).

Django's Paginator counts every row of the list to number its pages: at national scale a
``COUNT(*)`` over every recommendation of the country on each request of the first page,
which grows with the data while the page shows 25 rows. Like GitLab ("1,000+") and
Jira, a list counts its rows only up to a bound: below it the count is exact and the
pages are numbered as before ("Page 2 of 7"); past it the list says "more than 1,000"
and the pages stay numbered from the first: each request counts only as far as one row
past the page asked for (never less than the bound), so "Next" leads on as long as there
are rows, and a page number typed into the address still opens that page (a number past
the end opens the last page, as ``Paginator.get_page``).

The bounded count is one query, ``SELECT COUNT(*) FROM (SELECT ... LIMIT bound + 1)``,
without the list's ordering (the number of rows does not depend on it): the database
stops reading at the bound.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_BOUND = 1000


# No list has this many pages; a larger number typed into the address would overflow the
# database's integer in OFFSET/LIMIT ("?page=99999999999999999999"): it reads as this one, past
# the end, and get_page answers with the last page, as for any page past the end.
MAX_PAGE = 1_000_000


def page_number(value) -> int:
    """The page asked for (``?page=``) as a number from 1 to MAX_PAGE; 1 for anything that is not
    one ("last" included)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(1, number), MAX_PAGE)


class BoundedPaginator(Paginator):
    """A Paginator counting at most ``max(bound, page * per_page) + 1`` rows.

    ``page``: the page that will be asked for (``request.GET.get("page")``), so that the
    count reaches past it. ``exact``: False when there are more rows than counted; then
    ``count`` and ``num_pages`` are lower bounds and ``shown_count`` (the rows counted less
    the one past the bound) is what the page says there are "more than".
    """

    def __init__(self, object_list, per_page, *, page=None, bound: int = COUNT_BOUND, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = max(bound, page_number(page) * per_page) + 1

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):  # a queryset: counted in the database, up to the limit
            return rows.order_by()[: self.limit].count()
        return min(len(rows), self.limit)

    @property
    def exact(self) -> bool:
        return self.count < self.limit

    @property
    def shown_count(self) -> int:
        return self.count if self.exact else self.limit - 1
