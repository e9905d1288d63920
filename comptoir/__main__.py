"""The `comptoir` console command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "comptoir"
    # `comptoir token create ...` and friends map onto Django commands with dashes.
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
