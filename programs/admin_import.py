"""The curator's CSV upload: upload, preview what would change and every error, then apply.

The uploaded text is kept in the session between the preview and "Apply", and the apply step
runs the same import again for real, so what is written is checked afresh.
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from programs.importers import import_programs

SESSION_KEY = "programs_csv_import"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV in the programs.csv format; at most 10 MB.",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
            ) from None


class CsvImportAdminMixin:
    """Adds ``import/`` to a Program ModelAdmin: upload, preview and apply a program CSV."""

    import_template = "admin/programs/program/import_csv.html"

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_csv_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            )
        ]
        return urls + super().get_urls()

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "apply" in request.POST:
            return self._apply(request)
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["file"]
            filename = request.FILES["file"].name
            result = import_programs(text=text, dry_run=True)
            token = secrets.token_urlsafe(16)
            if result.ok:
                request.session[SESSION_KEY] = {
                    "token": token,
                    "text": text,
                    "filename": filename,
                }
            else:
                request.session.pop(SESSION_KEY, None)
            context.update(result=result, token=token, filename=filename)
        return self._render(request, context)

    def _apply(self, request: HttpRequest) -> HttpResponse:
        stored = request.session.get(SESSION_KEY)
        if not stored or stored["token"] != request.POST.get("token"):
            messages.error(request, "That upload has expired; please upload the file again.")
            return HttpResponseRedirect(request.path)
        result = import_programs(
            text=stored["text"],
            user=request.user,
            change_reason=f"CSV import in the admin: {stored['filename']}",
        )
        if not result.ok:
            context = {"form": CsvUploadForm(), "result": result, "filename": stored["filename"]}
            request.session.pop(SESSION_KEY, None)
            return self._render(request, context)
        del request.session[SESSION_KEY]
        messages.success(request, f"Imported {stored['filename']}: {result.summary()}.")
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def _render(self, request: HttpRequest, context: dict) -> TemplateResponse:
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"Import {opts.verbose_name_plural} from CSV",
            **context,
        }
        return TemplateResponse(request, self.import_template, context)
