"""The `comptoir` console command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "comptoir"
    # `comptoir ingest-email` runs Django's `ingest_email` command (commands are modules).
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
