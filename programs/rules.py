"""Check constraints that Python can evaluate as well as the database.

Each rule of the directory ("a hard Step 2 CK cutoff needs its score") is written once, as
the condition of a :class:`Rule` on its model. The database enforces it on every write;
``Model.full_clean()`` (and so the admin's forms, the CSV import and its preview) evaluates the
same condition on the unsaved instance, without a query, and reports the rule's message on
the field it names. A file that previews clean therefore applies clean.

Conditions use plain lookups only (exact, in, isnull, range, lt, lte, gt, gte, regex,
iregex), with
values or ``F()`` references to other fields of the same row. SQL's three-valued logic is
kept: a comparison with NULL is unknown, and an unknown condition passes, as it does in a
CHECK constraint.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q

LOOKUPS = {"exact", "in", "isnull", "range", "lt", "lte", "gt", "gte", "regex", "iregex"}


class Rule(models.CheckConstraint):
    """A CheckConstraint about one field, checked in Python before the database sees it."""

    def __init__(self, *, condition: Q, name: str, field: str, violation_error_message: str):
        super().__init__(
            condition=condition,
            name=name,
            violation_error_message=violation_error_message,
        )
        self.field = field
        self.referenced = frozenset(_referenced_fields(condition))
        if field not in self.referenced:
            raise ValueError(f"Rule {name!r} reports on {field!r}, which its condition ignores")

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # Like CheckConstraint: a rule about a field left out of the check is skipped.
        if exclude and self.referenced & set(exclude):
            return
        if holds(self.condition, instance) is False:
            error = ValidationError(self.get_violation_error_message(), code=self.name)
            raise ValidationError({self.field: [error]})

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        if isinstance(other, Rule):
            return super().__eq__(other) and self.field == other.field
        return NotImplemented


def not_blank(field: str, *, name: str, message: str) -> Rule:
    """The rule that a text holds something besides white space."""
    return Rule(
        condition=Q(**{f"{field}__regex": r"\S"}),
        name=name,
        field=field,
        violation_error_message=message,
    )


def holds(condition: Q, instance) -> bool | None:
    """True, False, or None when SQL would find the condition unknown (NULL)."""
    results = [_child(child, instance) for child in condition.children]
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    else:
        result = True if True in results else None if None in results else False
    if condition.negated and result is not None:
        return not result
    return result


def _child(child, instance) -> bool | None:
    if isinstance(child, Q):
        return holds(child, instance)
    lookup, expected = child
    name, operator = _split(lookup)
    value = _value(instance, name)
    if operator == "isnull":
        return (value is None) == bool(expected)
    if isinstance(expected, F):
        expected = _value(instance, expected.name)
    if value is None:
        return None
    match operator:
        case "exact":
            return None if expected is None else value == expected
        case "in":
            return value in expected
        case "range":
            low, high = expected
            return low <= value <= high
        case "lt" | "lte" | "gt" | "gte" if expected is None:
            return None
        case "lt":
            return value < expected
        case "lte":
            return value <= expected
        case "gt":
            return value > expected
        case "gte":
            return value >= expected
        case "regex" | "iregex":
            # PostgreSQL's "$" ends the text; Python's would also match before a final newline.
            pattern = expected[:-1] + r"\Z" if expected.endswith("$") else expected
            flags = re.IGNORECASE if operator == "iregex" else 0
            return re.search(pattern, str(value), flags) is not None
    raise ValueError(f"unsupported lookup {operator!r}")


def _value(instance, name: str):
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    if value is None:
        return None
    try:
        return field.to_python(value)
    except ValidationError:
        return None  # the field's own check reports it


def _split(lookup: str) -> tuple[str, str]:
    name, _, operator = lookup.partition("__")
    return name, operator or "exact"


def _referenced_fields(condition: Q) -> Iterable[str]:
    for child in condition.children:
        if isinstance(child, Q):
            yield from _referenced_fields(child)
            continue
        if not isinstance(child, tuple):
            raise TypeError(f"a Rule's condition takes only lookups, not {child!r}")
        name, operator = _split(child[0])
        if operator not in LOOKUPS or "__" in operator:
            raise TypeError(f"a Rule cannot evaluate the lookup {child[0]!r} in Python")
        yield name
        if isinstance(child[1], F):
            yield child[1].name
