from rest_framework import serializers

from .models import Note


class NoteSerializer(serializers.ModelSerializer):
    owner = serializers.ReadOnlyField(source="owner.email")

    class Meta:
        model = Note
        fields = ["pk", "title", "body", "owner", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
