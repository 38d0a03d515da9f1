from django.conf import settings
from django.db import models


class Note(models.Model):
    """Rendered with the owner as a nested UserSerializer (id, username, email)."""

    title = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


class Memo(models.Model):
    """Rendered with the owner nested with more of the user's fields."""

    title = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


class Link(models.Model):
    """Rendered with the owner as a hyperlink to djoser's user detail."""

    title = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
