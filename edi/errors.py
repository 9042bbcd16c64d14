"""Errors raised while reading or writing X12. Each names where it happened."""

from __future__ import annotations


class X12Error(ValueError):
    """Any X12 problem. `segment_number` is 1-based in the file; `position` is the character
    offset (0-based) where that segment starts. Both are None when not tied to a segment."""

    def __init__(
        self,
        message: str,
        *,
        segment_number: int | None = None,
        segment_id: str = "",
        position: int | None = None,
        element: int | None = None,
    ) -> None:
        self.reason = message
        self.segment_number = segment_number
        self.segment_id = segment_id
        self.position = position
        self.element = element
        super().__init__(self._text())

    def _text(self) -> str:
        if self.segment_number is None:
            return self.reason
        where = f"segment {self.segment_number}"
        if self.segment_id:
            where += f" ({self.segment_id}"
            where += f"{self.element:02d})" if self.element is not None else ")"
        if self.position is not None:
            where += f" at character {self.position}"
        return f"{where}: {self.reason}"


class X12SyntaxError(X12Error):
    """The text is not well-formed X12 (no ISA, truncated, bad envelope, bad counts)."""


class X12StructureError(X12Error):
    """Well-formed X12 that breaks the transaction's structure (HL chain, missing segment)."""


class X12ValueError(X12Error):
    """A value that cannot be written into X12 (a delimiter inside a name, a bad member ID)."""


class MemberIdError(X12ValueError):
    """A member ID the payer would refuse (forbidden characters, wrong length)."""


class TraceMismatchError(X12Error):
    """A 271 whose trace number (TRN) does not answer the 270 it was matched with."""
