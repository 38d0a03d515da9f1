"""knox's login view as its documentation writes it for a token API: DRF's
`AuthTokenSerializer` checks the username and password, then knox's `LoginView` makes the
token. (The documentation also calls `django.contrib.auth.login`, which starts a session; this
project has no sessions, so the user is set on the request instead.)"""
from knox.views import LoginView as KnoxLoginView
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny


class LoginView(KnoxLoginView):
    permission_classes = (AllowAny,)

    def post(self, request, format=None):
        serializer = AuthTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request.user = serializer.validated_data["user"]
        return super().post(request, format=None)
