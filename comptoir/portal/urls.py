from django.urls import path

from comptoir.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.sign_in, name="sign-in"),
    path("sign-in/<str:token>/", views.redeem, name="redeem"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("requests/", views.my_requests, name="requests"),
    path("requests/<int:number>/", views.request_detail, name="request"),
]
