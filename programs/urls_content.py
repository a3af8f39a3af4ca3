from django.urls import path

from programs.views import content

urlpatterns = [
    path("faq/", content.faq, name="faq"),
    path("guides/", content.guide_list, name="guides"),
    path("guides/<slug:slug>/", content.guide, name="guide"),
    path("timeline/", content.timeline, name="timeline"),
]
