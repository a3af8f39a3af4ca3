from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.models import Program, Specialty


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["programs:home", "programs:list", "programs:specialties"]

    def location(self, item):
        return reverse(item)


class ProgramSitemap(Sitemap):
    changefreq = "monthly"
    limit = 20000

    def items(self):
        return Program.objects.open_to_applicants().only("acgme_id", "updated_at").order_by("pk")

    def lastmod(self, program):
        return program.updated_at


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
