"""A urls.py as real projects write it: djoser under api/auth/, simplejwt's views at paths of the
project's own, obtain_auth_token (and a subclass of it) elsewhere, and the same notes viewset under
a DefaultRouter at api/v1/ and a SimpleRouter without trailing slashes at api/v2/."""
from django.urls import include, path
from rest_framework.authtoken import views as authtoken_views
from rest_framework.routers import DefaultRouter, SimpleRouter
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView, TokenVerifyView

from notes.views import NoteViewSet
from notes.views_login import LoginView

router_v1 = DefaultRouter()
router_v1.register(r"notes", NoteViewSet, basename="note")

# Its own basename: with the same one, reverse("note-list") (the v1 root's link) would find
# whichever pattern comes last in urlpatterns, the v2 one.
router_v2 = SimpleRouter(trailing_slash=False)
router_v2.register(r"notes", NoteViewSet, basename="note-v2")

urlpatterns = [
    path("api/auth/", include("djoser.urls")),
    path("api/auth/", include("djoser.urls.authtoken")),
    path("api/auth/", include("djoser.urls.jwt")),
    path("api/jwt/login/", TokenObtainPairView.as_view(), name="jwt_login"),
    path("api/jwt/refresh", TokenRefreshView.as_view(), name="jwt_refresh"),
    path("api/jwt/verify/", TokenVerifyView.as_view(), name="jwt_verify"),
    path("api/token-auth/", authtoken_views.obtain_auth_token),
    path("api/login/", LoginView.as_view()),
    path("api/v1/", include(router_v1.urls)),
    path("api/v2/", include(router_v2.urls)),
]
