from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from .models import Article, Tag, Topic
from .serializers import ArticleSerializer, TagSerializer, TopicSerializer


class TagViewSet(viewsets.ModelViewSet):
    serializer_class = TagSerializer
    queryset = Tag.objects.order_by("id")


class TopicViewSet(viewsets.ModelViewSet):
    serializer_class = TopicSerializer
    queryset = Topic.objects.order_by("id")


class ArticleViewSet(viewsets.ModelViewSet):
    serializer_class = ArticleSerializer
    queryset = Article.objects.all()

    def get_queryset(self):
        qs = Article.objects.all()
        # An exact filter on the many-to-many field, as `filterset_fields = ["tags"]` filters
        # one id: the articles linked to that tag, each once.
        raw = self.request.query_params.get("tags")
        if raw is not None:
            try:
                tag = int(raw.strip())
            except ValueError:
                raise ValidationError({"tags": ["Enter a whole number."]})
            qs = qs.filter(tags=tag).distinct()
        return qs
