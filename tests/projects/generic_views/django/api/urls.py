from django.urls import path

from . import views

urlpatterns = [
    path("notes/", views.NoteListCreate.as_view(), name="note-list"),
    path("notes/delete/<int:pk>/", views.NoteDelete.as_view(), name="delete-note"),
    path("notes/<int:pk>/", views.NoteDetail.as_view(), name="note-detail"),
    path("notes/<int:pk>/edit/", views.NoteUpdate.as_view(), name="note-update"),
    path("posts/", views.PostList.as_view(), name="post-list"),
    path("posts/new/", views.PostCreate.as_view(), name="post-create"),
    path("posts/<slug:slug>/", views.PostDetail.as_view(), name="post-detail"),
    path("projects/", views.ProjectListCreate.as_view(), name="project-list"),
    path("projects/<int:project_id>/tasks/", views.TaskListCreate.as_view(), name="task-list"),
]
