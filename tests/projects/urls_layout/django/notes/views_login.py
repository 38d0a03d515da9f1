from rest_framework.authtoken.views import ObtainAuthToken


class LoginView(ObtainAuthToken):
    """Log in with a username and a password; answers the user's DRF token."""
