"""Data built once for a test module, read by each of its tests as if built for it alone.

`built_once(django_db_blocker)` is the body of a module-scoped fixture: what it builds stays
in a transaction that is rolled back after the module. Each test runs in a savepoint on top of
it (pytest-django's `db`), so whatever a test changes in the database is undone before the
next one; `fresh(value)` reads the module's objects again for one test, so that a test which
changes an object in memory doesn't hand the change to the next. Under pytest-xdist one worker
runs the module's tests (`tests.parallel`), and builds the data once.

Only for tests in a transaction: a `transaction=True` test (live server, threads) commits, so
it builds its data itself, in a module of its own (`tests.conftest` refuses one that starts
inside a module's open transaction).
"""

import contextlib
import dataclasses

from django.db import models, transaction


@contextlib.contextmanager
def built_once(django_db_blocker):
    """Database access for a module-scoped fixture, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def fresh(value):
    """`value` with each model instance in it read again from the database.

    Dicts, lists, tuples and dataclasses are walked; anything else is returned as it is.
    """
    if isinstance(value, models.Model):
        return type(value)._base_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fresh(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: fresh(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value
