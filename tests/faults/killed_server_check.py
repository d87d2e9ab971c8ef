"""Run inside the killed server's environment (``python killed_server_check.py seed|check``).

``seed`` creates the agency the submissions go to; ``check`` prints, as JSON, what the database
and the media folder hold after the kills. Run as a separate process so that it reads the
server's database (SQLite file or a fresh PostgreSQL database) with the server's settings.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from gongkai.agencies.models import Agency  # noqa: E402
from gongkai.applications.intake import TRACKING_RE  # noqa: E402
from gongkai.applications.models import Application, Attachment, Event  # noqa: E402


def seed() -> None:
    Agency.objects.create(code="152200", name="兴安盟行政公署", short_name="兴安盟")


def check() -> None:
    problems: list[str] = []
    apps = Application.objects.annotate(
        submitted=Count("events", filter=Q(events__type="submitted"))
    )
    for app in apps:
        if app.submitted != 1:
            problems.append(f"{app.tracking_code}: {app.submitted} submitted events")
        if not TRACKING_RE.match(app.tracking_code):
            problems.append(f"{app.pk}: malformed tracking code {app.tracking_code!r}")
        declared = next(
            (e.data.get("attachments") for e in app.events.all() if e.type == "submitted"), None
        )
        if declared is not None and declared != app.attachments.count():
            problems.append(f"{app.tracking_code}: {app.attachments.count()} of {declared} files")
    orphan_events = Event.objects.filter(application__isnull=True).count()
    media = Path(settings.MEDIA_ROOT)
    recorded = set()
    for attachment in Attachment.objects.all():
        path = media / attachment.file.name
        recorded.add(path)
        if not path.is_file():
            problems.append(f"attachment {attachment.pk}: file missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != attachment.sha256:
            problems.append(f"attachment {attachment.pk}: file differs from its checksum")
    on_disk = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
    print(
        json.dumps(
            {
                "applications": apps.count(),
                "events": Event.objects.count(),
                "attachments": Attachment.objects.count(),
                "orphan_events": orphan_events,
                "unrecorded_files": len(on_disk - recorded),
                "problems": problems,
            }
        )
    )


if __name__ == "__main__":
    {"seed": seed, "check": check}[sys.argv[1]]()
