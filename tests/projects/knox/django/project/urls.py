from django.urls import include, path
from knox import views as knox_views

from project.views import LoginView

urlpatterns = [
    path("api/auth/", include("djoser.urls")),
    path("api/auth/login/", LoginView.as_view(), name="knox_login"),
    path("api/auth/logout/", knox_views.LogoutView.as_view(), name="knox_logout"),
    path("api/auth/logoutall/", knox_views.LogoutAllView.as_view(), name="knox_logoutall"),
]
