"""``gongkai demo``: load the demo data; running it again changes nothing.

1. The real hierarchy of the Inner Mongolia Autonomous Region and demo users for every role
   (:mod:`gongkai.agencies.demo_data`).
2. Then, for every Gongkai app in ``INSTALLED_APPS`` order, ``load(stdout)`` from its module
   ``gongkai.<app>.demo`` if there is one. Each such loader must be idempotent too. Later apps add
   their demo content this way without editing this command.
3. A table of the demo logins.

``--reset-passwords`` sets every demo account's password back to the demo password.
"""

from __future__ import annotations

import importlib
import unicodedata
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.agencies import demo_data
from gongkai.core.errors import DomainError


def demo_modules() -> list[tuple[str, ModuleType]]:
    """``(app label, module)`` for every Gongkai app that has a ``demo`` module, in app order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai."):
            continue
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            found.append((config.label, importlib.import_module(name)))
    return found


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A plain-text table that lines up in a terminal, Chinese characters counting double."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


class Command(BaseCommand):
    help = _(
        "载入演示数据：内蒙古自治区真实的机构层级、各角色的演示账号和各模块的演示内容。可重复运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=_("把所有演示账号的密码重置为演示密码（默认不改动已修改的密码）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                agencies = demo_data.sync_agencies(demo_data.demo_agencies())
                users = demo_data.sync_users(
                    demo_data.DEMO_USERS, reset_passwords=options["reset_passwords"]
                )
                memberships = demo_data.sync_memberships(demo_data.DEMO_USERS)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("机构：%(counts)s") % {"counts": agencies})
        self.stdout.write(_("演示账号：%(counts)s") % {"counts": users})
        self.stdout.write(_("岗位：%(counts)s") % {"counts": memberships})

        for label, module in demo_modules():
            try:
                with transaction.atomic():
                    module.load(self.stdout)
            except DomainError as exc:
                raise CommandError(
                    _("%(app)s 的演示数据载入失败：%(message)s")
                    % {"app": label, "message": exc.message}
                ) from exc

        self.stdout.write("")
        self.stdout.write(
            _("演示账号（密码均为 %(password)s）：") % {"password": demo_data.DEMO_PASSWORD}
        )
        header = (_("用户名"), _("密码"), _("机构"), _("角色"))
        self.stdout.write(format_table(header, demo_data.login_rows()))
