from django.urls import include, path
from rest_framework.authtoken import views as authtoken_views
from rest_framework.routers import DefaultRouter

from shapes import views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet)
router.register("tags", views.TagViewSet)
router.register("tasks", views.TaskViewSet)
router.register("comments", views.CommentViewSet)

urlpatterns = [
    path("api-token-auth/", authtoken_views.obtain_auth_token),
    path("api/", include(router.urls)),
]
