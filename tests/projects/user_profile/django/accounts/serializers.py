from djoser import serializers as djoser_serializers


class PublicUserSerializer(djoser_serializers.UserSerializer):
    """DJOSER["SERIALIZERS"]["user"]: what the user list and /users/<id>/ show."""

    class Meta(djoser_serializers.UserSerializer.Meta):
        fields = ("id", "username", "city", "is_staff")
        read_only_fields = ("is_staff",)


class CurrentUserSerializer(djoser_serializers.UserSerializer):
    """DJOSER["SERIALIZERS"]["current_user"]: /users/me/."""

    class Meta(djoser_serializers.UserSerializer.Meta):
        fields = (
            "id", "email", "username", "first_name", "last_name", "city", "phone", "bio",
            "birth_date", "newsletter", "nickname", "is_staff", "date_joined", "last_login",
        )
        read_only_fields = ("email", "username", "city", "is_staff", "date_joined", "last_login")
