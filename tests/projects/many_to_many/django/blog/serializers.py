from rest_framework import serializers

from .models import Article, Tag, Topic


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name"]


class ArticleSerializer(serializers.ModelSerializer):
    """The many-to-many fields as a ModelSerializer builds them: PrimaryKeyRelatedField(many=True)."""

    class Meta:
        model = Article
        fields = ["id", "title", "tags", "topics"]
