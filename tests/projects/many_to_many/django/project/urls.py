from django.urls import include, path
from rest_framework.authtoken import views as authtoken_views
from rest_framework.routers import DefaultRouter

from blog.views import ArticleViewSet, TagViewSet, TopicViewSet

router = DefaultRouter()
router.register(r"tags", TagViewSet, basename="tag")
router.register(r"topics", TopicViewSet, basename="topic")
router.register(r"articles", ArticleViewSet, basename="article")

urlpatterns = [
    path("api-token-auth/", authtoken_views.obtain_auth_token),
    path("api/", include(router.urls)),
    path("auth/", include("djoser.urls")),
    path("auth/", include("djoser.urls.authtoken")),
]
