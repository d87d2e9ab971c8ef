"""``gongkai letters verify`` finds altered or missing letter files."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from gongkai.applications.outcomes import Outcome
from gongkai.letters import services
from tests.letters.factories import make_application, reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(world, league):
    application = make_application(league)
    event = reply(application, Outcome.DISCLOSED)
    return services.issue(application, event, "reply_disclosed", inputs={}, actor=world.officer)


def test_verify_reports_all_files_consistent(letter, capsys):
    call_command("letters", "verify")
    assert "已校验 2 个文书文件，全部一致" in capsys.readouterr().out


def test_verify_fails_on_an_altered_file(letter, capsys):
    with open(default_storage.path(letter.docx.name), "ab") as handle:
        handle.write(b"x")
    with pytest.raises(CommandError) as caught:
        call_command("letters", "verify", "--agency", "152200")
    assert "1/2" in str(caught.value)
    assert "docx" in capsys.readouterr().err


def test_kinds_lists_all_thirty_kinds(capsys):
    call_command("letters", "kinds")
    assert len(capsys.readouterr().out.strip().splitlines()) == 30
