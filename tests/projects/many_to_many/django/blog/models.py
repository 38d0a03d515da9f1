from django.db import models


class Tag(models.Model):
    """No Meta.ordering: an article's `tags.all()` comes back in the database's order."""

    name = models.CharField(max_length=50)


class Topic(models.Model):
    name = models.CharField(max_length=50)


class Article(models.Model):
    title = models.CharField(max_length=100)
    # blank=True: the serializer's field is optional and takes an empty list.
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    # Not blank: required, and "This list may not be empty."
    topics = models.ManyToManyField(Topic, related_name="articles")

    class Meta:
        ordering = ["id"]
