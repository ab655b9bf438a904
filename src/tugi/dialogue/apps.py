from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "tugi.dialogue"
    label = "dialogue"
