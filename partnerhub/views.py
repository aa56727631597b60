"""Site-wide pages: home, the signed-in dashboard, and the load balancer's health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organisations.models import Organisation
from projects.models import Call, ProjectIdea

from .dashboard import dashboard_sections


def home(request):
    ideas = (
        ProjectIdea.objects.open()
        .visible_to(request.user)
        .select_related("lead", "call", "programme")
        .order_by("-created_at")[:6]
    )
    context = {
        "recent_ideas": ideas,
        "organisation_count": Organisation.objects.active().count(),
        "idea_count": ProjectIdea.objects.open().count(),
        "call_count": Call.objects.open().count(),
        "country_count": Organisation.objects.active().values("country").distinct().count(),
    }
    return render(request, "home.html", context)


@login_required
def dashboard(request):
    return render(request, "dashboard.html", {"sections": dashboard_sections(request)})


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """The site's own 500 page, rendered without a request context that could fail again."""
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
