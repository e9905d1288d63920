"""Loaded with `-p tests.environment` before Django starts: environment for the test run."""

import os

# Background jobs run inline, so a test sees the effect of the job it caused.
os.environ["COMPTOIR_HUEY_IMMEDIATE"] = "true"
# The webhook tests deliver to a real HTTP server on 127.0.0.1 (the SSRF tests turn this off).
os.environ["COMPTOIR_WEBHOOK_ALLOW_PRIVATE"] = "true"
