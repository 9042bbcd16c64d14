"""The current practice on the request: `request.practice_access`, built once per request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from practice.access import practice_access_from_request


class CurrentPracticeMiddleware:
    """Sets `request.practice_access` (None for anonymous users or users without a practice)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.practice_access = practice_access_from_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)
