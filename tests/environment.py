"""Loaded with `-p tests.environment` before Django starts: environment for the test run."""

import os

# Background jobs run inline, so a test sees the effect of the job it caused.
os.environ["COMPTOIR_HUEY_IMMEDIATE"] = "true"
