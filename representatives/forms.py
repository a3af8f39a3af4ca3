"""The representative's forms. They only parse and lay out: whether a proposal may be made
is the services' call (``representatives.services``), which the views map back onto these
forms' fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from programs.models import FactGroup, Program, ProgramSeasonDates
from representatives import services
from representatives.models import ProgramContact, Representative


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AskForm(forms.ModelForm):
    class Meta:
        model = Representative
        fields = ("name", "role", "email", "note")
        labels = {
            "name": "Your name",
            "role": "Your role at the program",
            "email": "Your address at the program",
            "note": "Anything the curators should know",
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ProposalForm(forms.Form):
    """A form of some fields of a model, prefilled with what the site holds, and the source
    that says the new values: by default the program's own statement, today."""

    model: type[models.Model]
    names: tuple[str, ...] = ()

    source_label = forms.CharField(
        label="Source",
        max_length=200,
        required=False,
        help_text="Leave it when the program itself says it; otherwise name the document or "
        "page that does.",
    )
    source_url = forms.URLField(
        label="Source address",
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The page that says it, when there is one.",
    )
    as_of = forms.DateField(
        label="As of",
        required=False,
        widget=DateInput,
        help_text="The date the source says it.",
    )

    def __init__(self, *args, program: Program, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for name in self.names:
            model_field = self.model._meta.get_field(name)
            field = model_field.formfield()
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2
            # Without a row yet, a choice starts at its default ("not reported"), never at
            # the first option.
            field.initial = (
                getattr(current, name, None) if current is not None else model_field.get_default()
            )
            fields[name] = field
        # The proposed values first, then where they come from.
        self.fields = {**fields, **self.fields}
        self.fields["source_label"].initial = services.program_statement(program)
        self.fields["as_of"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                # Browsers post line breaks as CRLF; compare and keep them as stored.
                data[name] = value.replace("\r\n", "\n").strip()
        return data

    def proposed(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.names if name in self.cleaned_data}

    def source(self) -> dict:
        """The source's fields as the services take them."""
        return {
            "source_label": self.cleaned_data.get("source_label") or "",
            "source_url": self.cleaned_data.get("source_url") or "",
            "as_of": self.cleaned_data.get("as_of"),
        }

    def add_errors(self, error: ValidationError, *, prefix: str = "") -> None:
        """Put a service's refusal on the fields it names (a fact group's source fields
        by their short names), the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            short = name.removeprefix(prefix)
            field = short if short in services.SOURCE_FIELDS else name
            self.add_error(field if field in self.fields else None, messages)


def facts_form(group: FactGroup, program: Program, data=None) -> ProposalForm:
    form_class = type(
        f"{group.value.title()}FactsForm",
        (ProposalForm,),
        {"model": Program, "names": services.proposable_fields(group)},
    )
    return form_class(data, program=program, current=program, prefix=group.value)


class DatesForm(ProposalForm):
    model = ProgramSeasonDates
    names = services.DATE_FIELDS


class ContactForm(ProposalForm):
    model = ProgramContact
    names = services.CONTACT_FIELDS


def dates_form(program: Program, current: ProgramSeasonDates | None, data=None) -> DatesForm:
    return DatesForm(data, program=program, current=current, prefix="dates")


def contact_form(program: Program, current: ProgramContact | None, data=None) -> ContactForm:
    return ContactForm(data, program=program, current=current, prefix="contact")
