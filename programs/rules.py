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

import datetime
import operator
import re
from collections.abc import Callable, Iterable

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
        # The condition as a Python function, made once per model it is checked on: a form
        # or an import checks every rule of every row.
        self._checks: dict[type[models.Model], Check] = {}
        if field not in self.referenced:
            raise ValueError(f"Rule {name!r} reports on {field!r}, which its condition ignores")

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # Like CheckConstraint: a rule about a field left out of the check is skipped.
        if exclude and not self.referenced.isdisjoint(exclude):
            return
        if (check := self._checks.get(model)) is None:
            check = self._checks[model] = _compiled(self.condition, model)
        if check(instance) is False:
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
    return _compiled(condition, type(instance))(instance)


Check = Callable[[models.Model], bool | None]


def _compiled(condition: Q, model: type[models.Model]) -> Check:
    """``condition`` as a function of an instance of ``model``, in SQL's three-valued logic:
    a child found False decides an AND (True an OR), whatever the others are; otherwise any
    unknown child (None) makes the whole unknown."""
    children = [
        _compiled(child, model) if isinstance(child, Q) else _compiled_lookup(child, model)
        for child in condition.children
    ]
    decisive = condition.connector != Q.AND
    negated = condition.negated

    def check(instance) -> bool | None:
        result = not decisive
        for child in children:
            outcome = child(instance)
            if outcome is None:
                result = None
            elif outcome == decisive:
                result = decisive
                break
        if negated and result is not None:
            return not result
        return result

    return check


COMPARISONS = {
    "exact": operator.eq,
    "in": lambda value, expected: value in expected,
    "range": lambda value, expected: expected[0] <= value <= expected[1],
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _compiled_lookup(child: tuple, model: type[models.Model]) -> Check:
    lookup, expected = child
    name, lookup_name = _split(lookup)
    value_of = _reader(model, name)
    if lookup_name == "isnull":
        return lambda instance: (value_of(instance) is None) == bool(expected)
    if lookup_name in ("regex", "iregex"):
        # PostgreSQL's "$" ends the text; Python's would also match before a final newline.
        pattern = expected[:-1] + r"\Z" if expected.endswith("$") else expected
        search = re.compile(pattern, re.IGNORECASE if lookup_name == "iregex" else 0).search

        def matches(instance) -> bool | None:
            value = value_of(instance)
            return None if value is None else search(str(value)) is not None

        return matches
    if lookup_name not in COMPARISONS:
        raise ValueError(f"unsupported lookup {lookup_name!r}")
    compare = COMPARISONS[lookup_name]
    other_of = _reader(model, expected.name) if isinstance(expected, F) else None
    # A comparison with NULL is unknown: "in" and "range" compare with constants only.
    null_expected_is_unknown = lookup_name not in ("in", "range")

    def compares(instance) -> bool | None:
        value = value_of(instance)
        if value is None:
            return None
        wanted = expected if other_of is None else other_of(instance)
        if wanted is None and null_expected_is_unknown:
            return None
        return compare(value, wanted)

    return compares


PYTHON_TYPES = [
    *((kind, str) for kind in (models.CharField, models.TextField, models.URLField)),
    *(
        (kind, int)
        for kind in (
            models.IntegerField,
            models.SmallIntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.BigIntegerField,
        )
    ),
    (models.BooleanField, bool),
    (models.DateField, datetime.date),
]


def _reader(model: type[models.Model], name: str) -> Callable[[models.Model], object]:
    """The field's value as its Python type, or None for a value it cannot convert (the
    field's own check reports that)."""
    field = model._meta.get_field(name)
    attname, to_python = field.attname, field.to_python
    # The type to_python gives back as it is, for the usual value of each kind of field.
    python_type = next((t for kind, t in PYTHON_TYPES if type(field) is kind), None)

    def value_of(instance):
        value = getattr(instance, attname)
        if value is None or type(value) is python_type:
            return value
        try:
            return to_python(value)
        except ValidationError:
            return None

    return value_of


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
