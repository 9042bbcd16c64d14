"""Swagger UI under a strict Content-Security-Policy.

drf-spectacular's split view serves the initialiser as its own script (no inline script); our
template replaces its inline <style> with a static stylesheet. The Swagger UI files come from
drf-spectacular-sidecar (our static files), never from a CDN.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ParitySwaggerView(SpectacularSwaggerSplitView):
    template_name = "core/swagger_ui.html"
