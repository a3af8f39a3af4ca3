"""The curator's review of a newer ACGME listing: upload the file with its source, see what
it would change (new, withdrawn, changed side by side), then apply it.

The uploaded text is kept in the session between the review and "Apply", and applying
computes the diff afresh in the same transaction that writes it (programs/listing_update.py).
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from programs.admin_import import CsvUploadForm
from programs.listing_update import (
    LISTING_COLUMNS,
    ListingSource,
    apply_listing_update,
    compute_listing_diff,
)
from programs.models import ProgramSuggestion, SuggestionStatus

SESSION_KEY = "programs_listing_update"


class ListingUploadForm(CsvUploadForm):
    source_label = forms.CharField(
        label="Source",
        max_length=200,
        help_text="What the file is, e.g. the ACGME listing and the year it was downloaded.",
    )
    source_url = forms.URLField(label="Source URL", max_length=500)
    as_of = forms.DateField(
        label="As of", help_text="The date the ACGME published the listing (YYYY-MM-DD)."
    )

    def source(self) -> ListingSource:
        data = self.cleaned_data
        return ListingSource(data["source_label"].strip(), data["source_url"], data["as_of"])


class ListingUpdateAdminMixin:
    """Adds ``listing-update/`` to the Program admin: review and apply a newer listing."""

    listing_update_template = "admin/programs/program/listing_update.html"
    change_list_template = "admin/programs/program/change_list_listing.html"

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "listing-update/",
                self.admin_site.admin_view(self.listing_update_view),
                name=f"{opts.app_label}_{opts.model_name}_listing_update",
            )
        ]
        return urls + super().get_urls()

    def listing_update_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "apply" in request.POST:
            return self._apply_listing(request)
        form = ListingUploadForm(request.POST or None, request.FILES or None)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            text, source = form.cleaned_data["file"], form.source()
            filename = request.FILES["file"].name
            diff = compute_listing_diff(text=text, source=source)
            token = secrets.token_urlsafe(16)
            if diff.ok:
                request.session[SESSION_KEY] = {
                    "token": token,
                    "text": text,
                    "filename": filename,
                    "source": [source.label, source.url, source.as_of.isoformat()],
                }
            else:
                request.session.pop(SESSION_KEY, None)
            context.update(diff=diff, token=token, filename=filename, source=source)
        return self._render_listing(request, context)

    def _apply_listing(self, request: HttpRequest) -> HttpResponse:
        stored = request.session.get(SESSION_KEY)
        if not stored or stored["token"] != request.POST.get("token"):
            messages.error(request, "That upload has expired; please upload the file again.")
            return HttpResponseRedirect(request.path)
        label, url, as_of = stored["source"]
        source = ListingSource(label, url, forms.DateField().to_python(as_of))
        diff = apply_listing_update(text=stored["text"], source=source, user=request.user)
        del request.session[SESSION_KEY]
        if not diff.applied:
            context = {
                "form": ListingUploadForm(),
                "diff": diff,
                "filename": stored["filename"],
                "source": source,
            }
            return self._render_listing(request, context)
        messages.success(request, f"Applied {stored['filename']}: {diff.summary()}.")
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def _render_listing(self, request: HttpRequest, context: dict) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Review a newer ACGME listing",
            "listing_columns": LISTING_COLUMNS,
            **context,
        }
        return TemplateResponse(request, self.listing_update_template, context)


@admin.register(ProgramSuggestion)
class ProgramSuggestionAdmin(admin.ModelAdmin):
    """Programs known only from the NRMP code list, offered and never added by themselves: a
    curator adds one through the program form, with its listing source, then marks it added."""

    change_list_template = "admin/programs/program/suggestions_listing.html"
    list_display = (
        "nrmp_code",
        "track_name",
        "institution_name",
        "state",
        "specialty",
        "status",
        "add_link",
    )
    list_filter = ("status", "state", "specialty")
    search_fields = ("nrmp_code", "track_name", "institution_name")
    list_select_related = ("specialty",)
    readonly_fields = (
        "nrmp_code",
        "track_name",
        "institution_name",
        "state",
        "specialty",
        "reason",
        "source_label",
    )
    fields = (*readonly_fields, "status")
    actions = ("mark_added", "mark_dismissed")

    def changelist_view(self, request, extra_context=None):
        title = "Programs known from the NRMP code list (about 2024)"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Add")
    def add_link(self, suggestion):
        return format_html(
            '<a href="{}">Add through the program form</a>', reverse("admin:programs_program_add")
        )

    @admin.action(
        description="Mark added (after adding the program with its source)", permissions=["change"]
    )
    def mark_added(self, request, queryset):
        count = queryset.update(status=SuggestionStatus.ADDED)
        self.message_user(request, f"Marked {count} added.")

    @admin.action(description="Dismiss", permissions=["change"])
    def mark_dismissed(self, request, queryset):
        count = queryset.update(status=SuggestionStatus.DISMISSED)
        self.message_user(request, f"Dismissed {count}.")
