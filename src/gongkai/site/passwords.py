"""Password validators with messages in our own catalogue.

Django 5.2 changed the msgid of the "too short" message, and its Simplified Chinese catalogue
has not caught up, so staff would read that one refusal in English.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
