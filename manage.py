#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Development commands that must work in a fresh terminal (the README's demo steps). For these
# alone DJANGO_DEBUG defaults to on, so the settings may use the development SECRET_KEY; an
# explicit DJANGO_DEBUG still wins, and every other command (and the WSGI/ASGI entry points)
# keeps refusing to start without SECRET_KEY when DEBUG is off.
DEBUG_BY_DEFAULT_COMMANDS = frozenset({"demo_totp"})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.base")
    if len(sys.argv) > 1 and sys.argv[1] in DEBUG_BY_DEFAULT_COMMANDS:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
