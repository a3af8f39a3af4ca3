from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Residency Programs: curators"
admin.site.site_title = "Residency Programs admin"
admin.site.index_title = "Directory curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
]
