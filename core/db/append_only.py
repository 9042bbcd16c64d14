"""Append-only tables: rows written once, never updated or deleted.

Two guards, one for each way a row can change:

* `AppendOnlyModel`, an abstract model: `save()` of a stored row, `delete()`, and the
  queryset's bulk `update()`/`delete()` raise `append_only_error(append_only_message)`. These
  work on every database, SQLite (the demo) included.
* `append_only_trigger(...)`, the migration operation: on PostgreSQL a row trigger refuses
  UPDATE and DELETE whatever the path (raw SQL, a bulk update, the admin), with SQLSTATE
  restrict_violation (Django: IntegrityError). Other databases get nothing.

Applied migrations call `append_only_trigger`, so the SQL it writes must never change for the
arguments they pass (tests/core/test_append_only.py pins it): add an option with a default that
keeps the old SQL, never edit the statements. Deleting a cascade (`on_delete=CASCADE` from a
parent) does not go through the model: the trigger is what refuses it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk `update()` and `delete()` refuse, with the model's error and message (unless the
    model leaves bulk writes to its trigger: `append_only_bulk_guard = False`)."""

    def update(self, **kwargs: Any) -> int:
        if self.model.append_only_bulk_guard:
            raise self.model.append_only_refusal()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.model.append_only_bulk_guard:
            raise self.model.append_only_refusal()
        return super().delete()


class AppendOnlyModel(models.Model):
    """A row is saved once; saving it again or deleting it raises `append_only_error`."""

    append_only_error: ClassVar[type[Exception]] = TypeError
    append_only_message: ClassVar[str] = "Rows are append-only."
    append_only_bulk_guard: ClassVar[bool] = True

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.append_only_refusal()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise self.append_only_refusal()

    @classmethod
    def append_only_refusal(cls) -> Exception:
        return cls.append_only_error(cls.append_only_message)


class PostgresOnlyRunSQL(migrations.RunSQL):
    """`RunSQL` that runs (and that `sqlmigrate` prints) only on PostgreSQL."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def append_only_trigger_sql(*, table: str, name: str, what: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(install, remove) statements: function and trigger `name` on `table`; the error reads
    "<what>: UPDATE is not allowed" (or DELETE)."""
    install = (
        f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{what}: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
        f"""
    CREATE TRIGGER {name}
        BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}();
    """,
    )
    remove = (
        f"DROP TRIGGER IF EXISTS {name} ON {table};",
        f"DROP FUNCTION IF EXISTS {name}();",
    )
    return install, remove


def append_only_trigger(*, table: str, name: str, what: str) -> PostgresOnlyRunSQL:
    """The migration operation that installs (and on reverse drops) the trigger on PostgreSQL."""
    install, remove = append_only_trigger_sql(table=table, name=name, what=what)
    return PostgresOnlyRunSQL(install, reverse_sql=remove)
