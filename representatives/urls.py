from django.urls import path

from representatives import views

app_name = "representatives"

urlpatterns = [
    path("represent/", views.start, name="start"),
    path("represent/find/", views.find, name="find"),
    path("represent/ask/<str:acgme_id>/", views.ask, name="ask"),
    path("represent/requests/<int:pk>/resend/", views.resend, name="resend"),
    path("represent/verify/<str:token>/", views.verify, name="verify"),
    path("represent/<str:acgme_id>/", views.program_page, name="program"),
    path("represent/<str:acgme_id>/facts/<str:group>/", views.propose_facts, name="facts"),
    path("represent/<str:acgme_id>/confirm/<str:group>/", views.confirm, name="confirm"),
    path("represent/<str:acgme_id>/dates/", views.propose_dates, name="dates"),
    path("represent/<str:acgme_id>/contact/", views.propose_contact, name="contact"),
]
