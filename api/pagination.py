from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, with ?page_size up to 100 (PAGE_SIZE by default)."""

    page_size_query_param = "page_size"
    max_page_size = 100
