from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Django's user with fields of the project's own (a "profile" on the user model)."""

    city = models.CharField(max_length=40)
    phone = models.CharField(max_length=20, blank=True)
    bio = models.TextField(blank=True)
    birth_date = models.DateField(null=True, blank=True)
    newsletter = models.BooleanField(default=False)
    nickname = models.CharField(max_length=30, unique=True, null=True, blank=True)

    REQUIRED_FIELDS = ["email", "city", "phone", "birth_date"]
