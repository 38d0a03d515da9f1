from rest_framework import serializers

from .models import Comment, Project, Tag, Task


class ProjectSerializer(serializers.HyperlinkedModelSerializer):
    # str(user) is the username.
    owner = serializers.StringRelatedField()

    class Meta:
        model = Project
        fields = ["url", "id", "name", "owner", "created_at", "updated_at"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "label"]


class TaskSerializer(serializers.ModelSerializer):
    heading = serializers.CharField(source="title", max_length=100)
    project = serializers.SlugRelatedField(slug_field="name", queryset=Project.objects.all())
    project_name = serializers.ReadOnlyField(source="project.name")
    tag = serializers.StringRelatedField()
    tag_id = serializers.PrimaryKeyRelatedField(
        source="tag", queryset=Tag.objects.all(), write_only=True, required=False, allow_null=True
    )

    class Meta:
        model = Task
        fields = ["id", "heading", "project", "project_name", "tag", "tag_id", "created", "modified"]


class CommentSerializer(serializers.ModelSerializer):
    task = TaskSerializer(read_only=True)
    task_id = serializers.PrimaryKeyRelatedField(
        source="task", queryset=Task.objects.all(), write_only=True
    )
    project = serializers.HyperlinkedRelatedField(
        view_name="project-detail", queryset=Project.objects.all()
    )

    class Meta:
        model = Comment
        fields = ["id", "body", "task", "task_id", "project", "created_at"]
