from django.contrib.auth.models import User
from rest_framework import serializers

from .models import Link, Memo, Note


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email"]


class UserDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "first_name",
            "last_name",
            "is_staff",
            "is_active",
            "is_superuser",
            "date_joined",
            "last_login",
        ]


class NoteSerializer(serializers.ModelSerializer):
    owner = UserSerializer(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "title", "owner"]


class MemoSerializer(serializers.ModelSerializer):
    owner = UserDetailSerializer(read_only=True)

    class Meta:
        model = Memo
        fields = ["id", "owner", "title"]


class LinkSerializer(serializers.ModelSerializer):
    # djoser's UserViewSet looks users up by `id` (its USER_ID_FIELD), not `pk`: without
    # lookup_field="id" the reverse fails and every body is a 500 (ImproperlyConfigured).
    owner = serializers.HyperlinkedRelatedField(
        view_name="user-detail", lookup_field="id", read_only=True
    )

    class Meta:
        model = Link
        fields = ["id", "title", "owner"]
