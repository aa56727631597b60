"""Site-wide pages: home, the signed-in dashboard, and the load balancer's health check."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organisations.directory import public_counts
from projects.models import Call, ProjectIdea

from .dashboard import dashboard_sections
from .health import healthz_response


def home(request):
    ideas = (
        ProjectIdea.objects.open()
        .visible_to(request.user)
        .select_related("lead", "call", "programme")
        .order_by("-created_at")[:6]
    )
    # Counted over the directory's facet index, which is current to the last write:
    # counting 100,000 rows here took most of the page's time.
    organisation_count, country_count = public_counts()
    context = {
        "recent_ideas": ideas,
        "organisation_count": organisation_count,
        # Only ideas whose lead is listed: a hidden or inactive organisation's ideas
        # are counted nowhere (issue 10).
        "idea_count": ProjectIdea.objects.open().visible_to(AnonymousUser()).count(),
        "call_count": Call.objects.open().count(),
        "country_count": country_count,
    }
    return render(request, "home.html", context)


@login_required
def dashboard(request):
    return render(request, "dashboard.html", {"sections": dashboard_sections(request)})


@never_cache
@require_GET
def healthz(request):
    """The load balancer's check; normally answered by HealthCheckMiddleware before any other."""
    return healthz_response()


def server_error(request):
    """The site's own 500 page, rendered without a request context that could fail again."""
    from django.template import loader

    template = loader.get_template("500.html")
    # The page's one inline style is allowed by the CSP through this nonce.
    nonce = str(getattr(request, "csp_nonce", "") or "")
    return HttpResponse(template.render({"csp_nonce": nonce}), status=500)
