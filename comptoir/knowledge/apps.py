from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "comptoir.knowledge"
    label = "knowledge"
