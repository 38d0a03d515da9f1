from rest_framework import viewsets

from .models import Link, Memo, Note
from .serializers import LinkSerializer, MemoSerializer, NoteSerializer


class OwnedViewSet(viewsets.ModelViewSet):
    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class NoteViewSet(OwnedViewSet):
    queryset = Note.objects.all().order_by("id")
    serializer_class = NoteSerializer


class MemoViewSet(OwnedViewSet):
    queryset = Memo.objects.all().order_by("id")
    serializer_class = MemoSerializer


class LinkViewSet(OwnedViewSet):
    queryset = Link.objects.all().order_by("id")
    serializer_class = LinkSerializer
