from django.urls import include, path
from rest_framework.authtoken import views as authtoken_views
from rest_framework.routers import DefaultRouter

from items.views import EventViewSet, NoteViewSet, PostViewSet

router = DefaultRouter()
router.register(r"notes", NoteViewSet, basename="note")
router.register(r"posts", PostViewSet, basename="post")
router.register(r"events", EventViewSet, basename="event")

urlpatterns = [
    path("api-token-auth/", authtoken_views.obtain_auth_token),
    path("api/", include(router.urls)),
    path("auth/", include("djoser.urls")),
    path("auth/", include("djoser.urls.authtoken")),
]
