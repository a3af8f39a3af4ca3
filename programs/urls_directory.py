from django.urls import path

from programs.views import directory

urlpatterns = [
    path("", directory.home, name="home"),
    path("programs/", directory.program_list, name="list"),
    path("programs/export.csv", directory.program_export, name="export"),
    path("programs/about-you/", directory.about_you, name="about_you"),
    path("programs/<str:acgme_id>/", directory.program_detail, name="detail"),
    path("programs/<str:acgme_id>/report/", directory.report_outdated, name="report"),
    path("specialties/", directory.specialty_list, name="specialties"),
    path("specialties/<slug:slug>/", directory.specialty_detail, name="specialty"),
    path("states/<str:code>/", directory.state_detail, name="state"),
    path("sponsors/<str:code>/", directory.sponsor_detail, name="sponsor"),
]
