from django import forms

from programs.models import OutdatedReport


class OutdatedReportForm(forms.ModelForm):
    """A reader's note that a program's page is wrong. ``website`` is a honeypot: people
    never see it, so a value there means a bot filled the form in."""

    MESSAGE_MIN = 10

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = OutdatedReport
        fields = ["message", "email"]
        labels = {
            "message": "What is wrong or out of date?",
            "email": "Your email (optional)",
        }
        help_texts = {
            "message": "Say which fact and, if you can, where the correct information is "
            "published (a link to the program's page helps most).",
            "email": "Only if you want a reply. It is never shown on the site.",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < self.MESSAGE_MIN:
            raise forms.ValidationError(
                f"Please write at least {self.MESSAGE_MIN} characters so a curator can act on it."
            )
        return message

    def full_clean(self):
        super().full_clean()
        # Take the reader straight to the first field to correct.
        if first := next((name for name in self.fields if name in self.errors), None):
            self.fields[first].widget.attrs["autofocus"] = True

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
