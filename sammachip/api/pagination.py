"""The list endpoints' pages (apart from the views: DRF reads it while importing them)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """A page of 100 (``page_size`` up to 500) in the view's fixed order (``cursor_ordering``,
    ending in a unique field); ``next`` and ``previous`` are the addresses of the pages
    around it."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_ordering(self, request, queryset, view):
        return view.cursor_ordering
