from django.apps import AppConfig


class ShapesConfig(AppConfig):
    name = "shapes"
