"""Forms about people: signing up, logging in with an email address, the profile, and
deleting an account. Every rule of a stored value lives on its model."""

import datetime

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed

from applicants import passwords
from applicants.matching import Applicant
from applicants.models import IMG_TYPES, ApplicantType, Profile, ShortlistEntry, VisaNeed
from programs.choices import Level
from programs.models import SignalKind, Specialty
from programs.states import State

EARLIEST_GRADUATION = 1950
# Students may apply in their final year, and plan a few years ahead.
YEARS_AHEAD = 6


class SignUpForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=150)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        # Whether an account has the address is never said here: it goes by email to the
        # address (applicants.services.begin_sign_up).
        return get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            user = get_user_model()(username=data.get("email", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class BoundedCredentials:
    """A login form refusing a name or password longer than any account's before it is
    checked: django-axes could not store such a name, and hashing a huge password is work for
    nothing. The attempt still counts as a failed login, under the name cut to what an
    account's can be."""

    def clean(self):
        longest = self.username_field.max_length
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if len(username) > longest or len(password) > passwords.MAXIMUM_LENGTH:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": username[:longest]},
                request=self.request,
            )
            raise self.get_invalid_login_error()
        return super().clean()


class EmailAuthenticationForm(BoundedCredentials, AuthenticationForm):
    """Log in with the email address an applicant signed up with. The longest an address can
    be is BoundedCredentials' to say, after the address is read as the account's name."""

    username = forms.CharField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "No account has that email and password. Check both, or reset your password."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class CuratorAuthenticationForm(BoundedCredentials, AdminAuthenticationForm):
    """The admin's login."""


# The answers, in the groups the page asks them in; what the applicant is looking for
# (specialties and states) follows them.
PROFILE_ANSWERS = (
    ("Who you are", ("applicant_type", "graduation_year")),
    (
        "Exams and certification",
        ("step2_score", "comlex2_score", "step3_passed", "ecfmg_certified"),
    ),
    ("Visa and experience", ("visa_needed", "usce_months")),
)


class ProfileForm(forms.ModelForm):
    """An applicant's answers. It checks them; ``applicant()`` hands them to matching, and
    ``applicants.services`` keeps them in the account or, for a visitor, the session."""

    specialties = forms.ModelMultipleChoiceField(
        label="Specialties you are applying in",
        queryset=Specialty.objects.residencies(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one specialty."},
    )
    usce_months = forms.IntegerField(
        label="Months of US clinical experience",
        min_value=0,
        max_value=120,
        required=False,
        help_text="Hands-on experience in US clinics or hospitals; leave empty for none.",
    )
    states = forms.MultipleChoiceField(
        label="States you prefer",
        choices=sorted(State.choices, key=lambda c: c[1]),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for anywhere in the US.",
    )

    class Meta:
        model = Profile
        fields = [
            *(name for _legend, names in PROFILE_ANSWERS for name in names),
            "specialties",
            "states",
        ]
        widgets = {
            "applicant_type": forms.RadioSelect,
            "visa_needed": forms.RadioSelect,
            "graduation_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "step2_score": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "comlex2_score": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "usce_months": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "ecfmg_certified": "IMGs: tick once ECFMG has issued your certificate.",
        }
        error_messages = {
            "applicant_type": {"required": "Choose what describes you."},
            "visa_needed": {"required": "Choose the visa you need, or “None”."},
            "graduation_year": {"required": "Give the year you graduated or will graduate."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons need no "choose one" entry: none ticked says the same.
        for name in ("applicant_type", "visa_needed"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0] != ""]

    def answer_groups(self) -> list[tuple[str, list]]:
        """Each group's legend and its bound fields, for the page to lay out."""
        return [(legend, [self[name] for name in names]) for legend, names in PROFILE_ANSWERS]

    def full_clean(self):
        super().full_clean()
        # After a failed submit, the keyboard starts at the first answer to correct.
        if self.errors:
            first = next((name for name in self.fields if name in self.errors), None)
            if first:
                self.fields[first].widget.attrs["autofocus"] = True

    @classmethod
    def from_applicant(cls, applicant: Applicant | None, **kwargs) -> "ProfileForm":
        """A form showing a visitor's or an account's current answers."""
        if applicant is None:
            return cls(**kwargs)
        initial = applicant.to_data()
        initial["specialties"] = list(initial.pop("specialty_ids"))
        return cls(initial=initial, **kwargs)

    def clean_graduation_year(self):
        year = self.cleaned_data["graduation_year"]
        latest = datetime.date.today().year + YEARS_AHEAD
        if not EARLIEST_GRADUATION <= year <= latest:
            raise forms.ValidationError(
                f"Give the year you graduated or will graduate, from {EARLIEST_GRADUATION} to "
                f"{latest}."
            )
        return year

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_type")
        if kind == ApplicantType.US_IMG and data.get("visa_needed") not in (None, VisaNeed.NONE):
            self.add_error(
                "visa_needed", "A US citizen or permanent resident needs no visa for residency."
            )
        if kind not in IMG_TYPES:
            data["ecfmg_certified"] = False
        data["usce_months"] = data.get("usce_months") or 0
        return data

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant.from_answers(
            data,
            specialty_ids=[s.pk for s in data["specialties"]],
            states=data.get("states") or (),
        )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password.")
        return self.cleaned_data["password"]


class ShortlistEntryForm(forms.ModelForm):
    class Meta:
        model = ShortlistEntry
        fields = ["status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class SignalForm(forms.Form):
    """The signal planned for one saved program; whether the specialty gives that kind and
    has one left is ``services.assign_signal``'s call."""

    signal = forms.ChoiceField(
        label="Your signal",
        choices=[("", "No signal"), *SignalKind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind of signal, or none."},
    )


MAX_PLANNED = 500


class SpecialtyOrFellowshipField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (fellowship)" if obj.level == Level.FELLOWSHIP else obj.name


class CostWhatIfForm(forms.Form):
    """ "If I apply to N programs in this specialty" (any specialty or fellowship of the
    directory), and how many programs one expects to rank."""

    specialty = SpecialtyOrFellowshipField(
        queryset=Specialty.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Choose a specialty",
        label="If I apply in",
    )
    programs = forms.IntegerField(
        label="to this many programs", min_value=1, max_value=MAX_PLANNED, required=False
    )
    ranks = forms.IntegerField(
        label="Programs I expect to rank",
        min_value=0,
        max_value=MAX_PLANNED,
        required=False,
        help_text="Empty: those on your shortlist at interview or ranked, if you keep one.",
    )

    def __init__(self, *args, specialties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].queryset = specialties

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if bool(data.get("specialty")) != bool(data.get("programs")):
            raise forms.ValidationError(
                "Choose a specialty and a number of programs to see what they would cost."
            )
        return data
