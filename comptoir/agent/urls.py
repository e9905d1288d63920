"""The agent workspace under /agent/: the ticket workspace and the ticket lists."""

from comptoir.agent.lists.urls import urlpatterns as list_urls
from comptoir.agent.workspace.urls import urlpatterns as workspace_urls

app_name = "agent"
urlpatterns = [*workspace_urls, *list_urls]
