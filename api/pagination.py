from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `page` and `page_size` (at most 100)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = "Page number, from 1; a page beyond the last answers 404."
    page_size_query_description = (
        "Results per page: 20 by default, at most 100 (a larger value is capped)."
    )
