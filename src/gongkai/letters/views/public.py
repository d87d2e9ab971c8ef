"""The applicant's download of a letter addressed to them (/letters/, namespace ``letters``).

Access follows the tracking page: the browser session must have filed the request or entered
its tracking code and query password (``applications.views.public.applicant_may_view``, a
session flag set after a successful check). Otherwise the browser is sent to the tracking form.
Letters to third parties and consulted agencies are never offered here.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongkai.core.errors import DomainError
from gongkai.letters import services
from gongkai.letters.models import Letter


@never_cache
@require_GET
def download(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The PDF of letter ``pk`` of the request with tracking code ``code``."""
    from gongkai.applications import intake
    from gongkai.applications.views.public import applicant_may_view

    code = intake.normalize_tracking_code(code)
    if not applicant_may_view(request, code):
        return redirect(reverse("applications:track") + f"?code={quote(code)}")
    letter = (
        Letter.objects.select_related("application")
        .filter(pk=pk, application__tracking_code=code, to_applicant=True)
        .first()
    )
    if letter is None:
        raise Http404
    try:
        data = services.read_bytes(letter, "pdf")
    except DomainError as exc:
        return render(request, "letters/refused_public.html", {"message": exc.message}, status=500)
    response = HttpResponse(data, content_type="application/pdf")
    filename = services.download_name(letter, "pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"letter.pdf\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
