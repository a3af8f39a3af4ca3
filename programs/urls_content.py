from django.urls import path

from programs.views import content

urlpatterns = [
    path("faq/", content.faq, name="faq"),
    path("guides/", content.guide_list, name="guides"),
    path("guides/<slug:slug>/", content.guide, name="guide"),
    path("timeline/", content.timeline, name="timeline"),
    path("timeline/season.ics", content.timeline_ics, name="timeline_ics"),
]
