from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def faq(request):
    return render(request, "programs/faq.html")


@require_GET
def guide(request, slug):
    raise Http404


@require_GET
def timeline(request):
    return render(request, "programs/timeline.html")


@require_GET
def guide_list(request):
    return render(request, "programs/guide_list.html")
