from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from programs.models import Program, Specialty


@require_GET
def home(request):
    return render(request, "programs/home.html")


@require_GET
def program_list(request):
    programs = Program.objects.open_to_applicants().residencies().for_listing()[:50]
    return render(request, "programs/program_list.html", {"programs": programs})


@require_GET
def program_detail(request, acgme_id):
    program = get_object_or_404(Program.objects.for_listing(), acgme_id=acgme_id)
    return render(request, "programs/program_detail.html", {"program": program})


@require_GET
def specialty_detail(request, slug):
    specialty = get_object_or_404(Specialty, slug=slug)
    return render(request, "programs/specialty_detail.html", {"specialty": specialty})


@require_GET
def specialty_list(request):
    return render(request, "programs/specialty_list.html", {"specialties": Specialty.objects.all()})
