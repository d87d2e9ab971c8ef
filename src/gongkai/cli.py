"""The ``gongkai`` console script: Django's ``manage.py`` under a product name.

``gongkai demo``, ``gongkai workdays add 2026-02-13 20``, ``gongkai migrate`` … are all
management commands; this only sets the settings module.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
