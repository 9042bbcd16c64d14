"""Synthetic note content for tests: the demo seed's generator (one source for both)."""

from demo.note_content import complete_content_for, narrative

__all__ = ["complete_content_for", "narrative"]
