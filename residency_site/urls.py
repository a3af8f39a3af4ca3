from django.contrib import admin
from django.urls import include, path

from applicants.forms import CuratorAuthenticationForm
from programs import sitemaps
from programs.views.directory import favicon, robots_txt
from residency_site.health import healthz, readyz

admin.site.site_header = "Residency Programs: curators"
admin.site.site_title = "Residency Programs admin"
admin.site.index_title = "Directory curation"
admin.site.login_form = CuratorAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("applicants.urls")),
    path("", include("representatives.urls")),
    path("", include("programs.urls")),
]
