from django.apps import AppConfig


class AgentConfig(AppConfig):
    name = "comptoir.agent"
    label = "agent"
