from django.urls import include, path
from rest_framework.authtoken import views as authtoken_views

urlpatterns = [
    path("auth/", include("djoser.urls")),
    path("auth/", include("djoser.urls.jwt")),
    path("auth/", include("djoser.urls.authtoken")),
    path("api-token-auth/", authtoken_views.obtain_auth_token),
]
