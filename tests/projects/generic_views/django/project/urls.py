from django.urls import include, path
from rest_framework.authtoken import views as authtoken_views
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from api.views import CreateUserView, RegisterView

urlpatterns = [
    path("api/user/register/", CreateUserView.as_view(), name="register"),
    path("api/register/", RegisterView.as_view(), name="register-with-token"),
    path("api/token/", TokenObtainPairView.as_view(), name="get_token"),
    path("api/token/refresh/", TokenRefreshView.as_view(), name="refresh"),
    path("api-token-auth/", authtoken_views.obtain_auth_token),
    path("api/", include("api.urls")),
]
