"""The sitemap, in sections (pages, programs, specialties, states) under one index; each
section is rendered once and kept in the shared cache until the directory changes."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from programs.models import Program, Specialty
from programs.shared import remembered


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["programs:home", "programs:list", "programs:specialties"]

    def location(self, item):
        return reverse(item)


class ProgramSitemap(Sitemap):
    changefreq = "monthly"
    # Pages of about 600 KB, each quick to render on the first request after a change.
    limit = 5000

    def items(self):
        return Program.objects.open_to_applicants().only("acgme_id", "updated_at").order_by("pk")

    def lastmod(self, program):
        return program.updated_at

    def get_latest_lastmod(self):
        # The index asks for it: one aggregate rather than a walk over every program.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class SpecialtySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Specialty.objects.all()


class StateSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Program.objects.open_to_applicants().states()

    def location(self, code):
        return reverse("programs:state", args=[code])


sitemaps = {
    "pages": StaticSitemap,
    "programs": ProgramSitemap,
    "specialties": SpecialtySitemap,
    "states": StateSitemap,
}


@require_safe
def index(request):
    body = remembered(
        f"sitemap:index:{request.scheme}:{request.get_host()}",
        lambda: (
            sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap-section")
            .render()
            .content
        ),
    )
    return HttpResponse(body, content_type="application/xml")


@require_safe
def section(request, section):
    page = request.GET.get("p", "1")
    if not page.isascii() or not page.isdigit() or len(page) > 6:
        raise Http404("No such sitemap page.")
    body = remembered(
        f"sitemap:{section}:{page}:{request.scheme}:{request.get_host()}",
        lambda: sitemap_views.sitemap(request, sitemaps, section=section).render().content,
    )
    return HttpResponse(body, content_type="application/xml")
