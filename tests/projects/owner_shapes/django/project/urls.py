from django.urls import include, path
from rest_framework.authtoken import views as authtoken_views
from rest_framework.routers import DefaultRouter

from ownership import views

router = DefaultRouter()
router.register("notes", views.NoteViewSet)
router.register("memos", views.MemoViewSet)
router.register("links", views.LinkViewSet)

urlpatterns = [
    path("auth/", include("djoser.urls")),
    path("api-token-auth/", authtoken_views.obtain_auth_token),
    path("api/", include(router.urls)),
]
