from rest_framework import filters, viewsets
from rest_framework.pagination import CursorPagination, LimitOffsetPagination

from .models import Event, Note, Post
from .serializers import EventSerializer, NoteSerializer, PostSerializer


class PostPagination(LimitOffsetPagination):
    default_limit = 2


class EventPagination(CursorPagination):
    page_size = 2
    ordering = "-starts_at"


class OwnedViewSet(viewsets.ModelViewSet):
    """Each user sees and writes only their own rows."""

    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["title"]

    def get_queryset(self):
        return self.queryset.filter(owner=self.request.user)

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class NoteViewSet(OwnedViewSet):
    """No pagination_class: the project has no DEFAULT_PAGINATION_CLASS, so a plain list."""

    serializer_class = NoteSerializer
    queryset = Note.objects.select_related("owner").all()
    ordering_fields = ["created_at", "title", "id"]


class PostViewSet(OwnedViewSet):
    serializer_class = PostSerializer
    queryset = Post.objects.select_related("owner").all()
    ordering_fields = ["title", "id"]
    pagination_class = PostPagination


class EventViewSet(OwnedViewSet):
    serializer_class = EventSerializer
    queryset = Event.objects.select_related("owner").all()
    ordering_fields = ["title", "starts_at"]
    pagination_class = EventPagination
