"""core.db.append_only: the trigger SQL the applied migrations run must never change, it runs
only on PostgreSQL, and the model guard refuses with each model's own error."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from core.db.append_only import PostgresOnlyRunSQL, append_only_trigger

# The statements as the migrations wrote them out by hand before the helper existed: an
# applied migration's SQL is history; a change to the helper must not rewrite it.
CLAIM_EVENTS_INSTALL = (
    """
    CREATE OR REPLACE FUNCTION claims_claimevent_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'claim events are append-only: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER claims_claimevent_immutable
        BEFORE UPDATE OR DELETE ON claims_claimevent
        FOR EACH ROW EXECUTE FUNCTION claims_claimevent_immutable();
    """,
)

MIGRATIONS = {
    "claims.migrations.0007_claim_events_immutable": (
        "claims_claimevent",
        "claims_claimevent_immutable",
        "claim events are append-only",
    ),
    "denials.migrations.0002_denial_events_immutable": (
        "denials_denialevent",
        "denials_denialevent_immutable",
        "denial events are append-only",
    ),
    "ledger.migrations.0002_ledger_entries_append_only": (
        "ledger_ledgerentry",
        "ledger_entry_immutable",
        "ledger entries are append-only",
    ),
    "eligibility.migrations.0002_exchange_immutable": (
        "eligibility_eligibilityexchange",
        "eligibility_exchange_immutable",
        "eligibility exchanges are evidence",
    ),
}


def test_the_claim_events_migration_runs_the_statements_it_always_ran():
    operation = importlib.import_module("claims.migrations.0007_claim_events_immutable").Migration.operations[
        0
    ]
    assert tuple(operation.sql) == CLAIM_EVENTS_INSTALL
    assert tuple(operation.reverse_sql) == (
        "DROP TRIGGER IF EXISTS claims_claimevent_immutable ON claims_claimevent;",
        "DROP FUNCTION IF EXISTS claims_claimevent_immutable();",
    )


@pytest.mark.parametrize("module", sorted(MIGRATIONS))
def test_each_append_only_migration_keeps_its_trigger_function_and_message(module: str):
    table, name, what = MIGRATIONS[module]
    (operation,) = importlib.import_module(module).Migration.operations
    assert isinstance(operation, PostgresOnlyRunSQL)
    function, trigger = operation.sql
    assert f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger" in function
    assert f"RAISE EXCEPTION '{what}: % is not allowed', TG_OP" in function
    assert f"CREATE TRIGGER {name}\n        BEFORE UPDATE OR DELETE ON {table}\n" in trigger
    assert f"EXECUTE FUNCTION {name}();" in trigger


class _Connection:
    alias = "default"

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor


class _SchemaEditor:
    def __init__(self, vendor: str) -> None:
        self.connection = _Connection(vendor)
        self.executed: list[str] = []

    def execute(self, sql: str, params: Any = None) -> None:
        self.executed.append(sql)


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_trigger_runs_on_postgresql_only(vendor: str):
    operation = append_only_trigger(table="t", name="t_immutable", what="t rows are append-only")
    forwards, backwards = _SchemaEditor(vendor), _SchemaEditor(vendor)
    operation.database_forwards("app", forwards, None, None)  # type: ignore[arg-type]
    operation.database_backwards("app", backwards, None, None)  # type: ignore[arg-type]
    if vendor == "postgresql":
        assert len(forwards.executed) == 2
        assert backwards.executed == [
            "DROP TRIGGER IF EXISTS t_immutable ON t;",
            "DROP FUNCTION IF EXISTS t_immutable();",
        ]
    else:
        assert forwards.executed == backwards.executed == []
