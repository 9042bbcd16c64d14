"""Make the audit log append-only in the database itself.

PostgreSQL
  * `audit_auditevent`: BEFORE UPDATE / DELETE (per row) and BEFORE TRUNCATE (per statement)
    raise `restrict_violation` (Django: IntegrityError) with "… is append-only …".
  * `audit_auditchainhead`: UPDATE may only advance the head by one, to an event that exists
    with that seq and hash (what `audit_event_record` does); DELETE and TRUNCATE are refused.
  * TRUNCATE escape hatch: a *superuser* session that sets `parity.audit_truncate = 'allow'`
    may TRUNCATE both tables. Django's test runner flushes transactional tests with one
    TRUNCATE of every table, so billing/settings/test.py sets that option on test connections.
    A superuser can disable the triggers anyway; the hash chain (audit.domain.chain) is what
    catches changes made that way.

SQLite (the demo)
  * The same rules, except that DELETE is refused for every event but the oldest remaining one:
    Django's test flush runs `DELETE FROM audit_auditevent`, which removes rows oldest first.
    Removing the oldest event is still caught by the verifier (the chain no longer starts at 1).
  * SQLite has no privileges: anyone who can write the file can drop a trigger. These triggers
    stop mistakes; the hash chain catches tampering.
  * Django rebuilds a SQLite table (dropping its triggers) for many AlterField/RemoveField
    operations. A later migration that alters these tables must re-create the triggers;
    tests/audit/test_append_only.py checks they exist after all migrations.
"""

from django.db import migrations

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE'
           AND current_setting('parity.audit_truncate', true) = 'allow'
           AND current_setting('is_superuser') = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Audit events are never changed or removed. '
                         'The chain verifier reports any change made around this rule.';
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION audit_chain_head_advance_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.id = OLD.id
           AND NEW.singleton = OLD.singleton
           AND NEW.last_seq = OLD.last_seq + 1
           AND EXISTS (
               SELECT 1 FROM audit_auditevent e
               WHERE e.seq = NEW.last_seq AND e.hash = NEW.last_hash
           ) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_auditchainhead is append-only: it only advances to the newest event'
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only
        BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate
        BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
    """,
    """
    CREATE TRIGGER audit_auditchainhead_advance_only
        BEFORE UPDATE ON audit_auditchainhead
        FOR EACH ROW EXECUTE FUNCTION audit_chain_head_advance_only();
    """,
    """
    CREATE TRIGGER audit_auditchainhead_no_delete
        BEFORE DELETE ON audit_auditchainhead
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    """,
    """
    CREATE TRIGGER audit_auditchainhead_no_truncate
        BEFORE TRUNCATE ON audit_auditchainhead
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
    """,
]

PG_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditchainhead_no_truncate ON audit_auditchainhead;",
    "DROP TRIGGER IF EXISTS audit_auditchainhead_no_delete ON audit_auditchainhead;",
    "DROP TRIGGER IF EXISTS audit_auditchainhead_advance_only ON audit_auditchainhead;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_chain_head_advance_only();",
    "DROP FUNCTION IF EXISTS audit_refuse_change();",
]

SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE is not allowed');
    END;
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete
    BEFORE DELETE ON audit_auditevent
    WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE seq < OLD.seq)
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE is not allowed');
    END;
    """,
    """
    CREATE TRIGGER audit_auditchainhead_advance_only
    BEFORE UPDATE ON audit_auditchainhead
    WHEN NOT (
        NEW.id = OLD.id
        AND NEW.singleton = OLD.singleton
        AND NEW.last_seq = OLD.last_seq + 1
        AND EXISTS (
            SELECT 1 FROM audit_auditevent
            WHERE seq = NEW.last_seq AND hash = NEW.last_hash
        )
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditchainhead is append-only: it only advances to the newest event');
    END;
    """,
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditchainhead_advance_only;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
]


def _statements(vendor, *, install):
    if vendor == "postgresql":
        return PG_INSTALL if install else PG_REMOVE
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    return []


def install_triggers(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement, params=None)


def remove_triggers(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_auditverification_findings_blank"),
    ]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers),
    ]
