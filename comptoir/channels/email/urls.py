"""Admin pages of the email channel (failed intake, spam review), mounted under /agent/email/."""

app_name = "email_channel"
urlpatterns: list = []
