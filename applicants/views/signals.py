"""The signal plan on the shortlist: which saved program gets which of the applicant's
program signals. Like the rest of the shortlist it is its owner's alone: another user's
entry is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from applicants import services, signal_plan
from applicants.forms import ShortlistEntryForm, SignalForm
from applicants.models import ShortlistEntry
from applicants.views.plan import _fit_arguments
from residency_site.redirects import next_url, redirect_to_next


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def shortlist_signal(request, pk):
    """Give the entry's program a signal of a kind, or none. A refusal (no signal of that
    kind left, or a kind the specialty does not give) changes nothing and says why beside
    the entry."""
    entry = get_object_or_404(ShortlistEntry.objects.of(request.user), pk=pk)
    anchor = f"{reverse('applicants:shortlist')}#entry-{entry.pk}"
    if request.method == "GET":
        return redirect(anchor)
    form = SignalForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.assign_signal(entry=entry, kind=form.cleaned_data["signal"])
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = " ".join(form.errors["signal"])
    if not error and not request.htmx:
        messages.success(request, _saved_words(entry))
        return redirect_to_next(request, anchor)
    applicant = services.current_applicant(request)
    entry = (
        ShortlistEntry.objects.of(request.user).with_verdict(_fit_arguments(applicant)).get(pk=pk)
    )
    plan = signal_plan.signal_plan(request.user)
    entry.signal_view = plan.for_entry(entry, error=error)
    context = {
        "entry": entry,
        "signal": entry.signal_view,
        "signal_plan": plan,
        "signal_saved": not error,
        "list_url": next_url(request, reverse("applicants:shortlist")).split("#")[0],
    }
    status = 400 if error else 200
    if request.htmx:
        return render(request, "applicants/_signal_response.html", context, status=status)
    context["entry_form"] = ShortlistEntryForm(instance=entry, prefix=f"entry-{entry.pk}")
    return render(request, "applicants/shortlist_entry.html", context, status=status)


def _saved_words(entry: ShortlistEntry) -> str:
    if not entry.signal:
        return f"{entry.program.name} has no signal from you now."
    kind = signal_plan.kind_words(entry.signal)
    return f"Planned: a {kind} for {entry.program.name}."
