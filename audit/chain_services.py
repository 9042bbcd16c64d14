"""Verifying the audit hash chain: walk it against its head and store the result.

Run by `audit.tasks.audit_chain_verify_task` (daily, and on request through
`services.audit_chain_verify_request`). Reads the chain through chain_selectors.py.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from audit import chain_selectors
from audit.domain.chain import verify_chain
from audit.models import AuditVerification

# A verification stores at most this many findings (plus one line saying how many more).
MAX_STORED_FINDINGS = 200


def audit_chain_verify() -> AuditVerification:
    """Walk the whole chain against its head and store the result as an AuditVerification.

    On PostgreSQL the walk runs in one REPEATABLE READ snapshot, so events appended while it
    runs are neither half-seen nor mistaken for rows beyond the head. The rows are streamed
    (server-side cursor), so memory does not grow with the chain.
    """
    ran_at = timezone.now()
    already_in_transaction = connection.in_atomic_block
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql" and not already_in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        head = chain_selectors.audit_chain_head()
        checked, problems = verify_chain(
            chain_selectors.audit_chain_records(), head_seq=head.last_seq, head_hash=head.last_hash
        )
        findings = [
            {"code": str(problem.code), "message": problem.message, "field": problem.field}
            for problem in problems[:MAX_STORED_FINDINGS]
        ]
        if len(problems) > MAX_STORED_FINDINGS:
            findings.append(
                {
                    "code": "audit_findings_truncated",
                    "message": f"{len(problems) - MAX_STORED_FINDINGS} more findings were not stored.",
                    "field": "",
                }
            )
        verification = AuditVerification(
            ran_at=ran_at, events_checked=checked, ok=not problems, findings=findings
        )
        verification.full_clean()
        verification.save()
    return verification
