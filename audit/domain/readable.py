"""The audit log in words: an event's stored codes ("session_note", "results=3;purpose=cosign_queue")
as a person reads them. Pure; the stored values and the CSV export keep the codes."""

from __future__ import annotations

_WORDS = {
    "cosign": "co-sign",
    "id": "ID",
    "ip": "IP",
    "mfa": "MFA",
    "npi": "NPI",
    "pdf": "PDF",
    "csv": "CSV",
    "part2": "Part 2",
}


def words(code: str) -> str:
    """`clinical_note` → "clinical note"; `cosign_queue` → "co-sign queue"."""
    return " ".join(_WORDS.get(part, part) for part in code.split("_") if part)


def sentence(code: str) -> str:
    text = words(code)
    return text[:1].upper() + text[1:]


def object_text(object_type: str, object_id: str) -> str:
    """`session_note`, `47` → "Session note 47"."""
    if not object_type:
        return ""
    return f"{sentence(object_type)} {object_id}".strip()


def detail_text(detail: str) -> str:
    """`results=3;total=10;purpose=cosign_queue` → "results: 3 · total: 10 · purpose: co-sign queue".
    Free text without `key=value` pairs is left as it is."""
    parts = [p.strip() for p in detail.split(";") if p.strip()]
    if not any("=" in p for p in parts):
        return detail
    shown = []
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep:
            shown.append(_arrows(words(part)))
            continue
        shown.append(f"{words(key.strip())}: {_arrows(words(value.strip())) if value.strip() else '—'}")
    return " · ".join(shown)


def _arrows(text: str) -> str:
    return text.replace("->", " → ")
