"""Site-wide pages: home, the signed-in dashboard, and the load balancer's health check."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organisations.directory import public_counts
from projects.models import Call, ProjectIdea

from .dashboard import dashboard_sections
from .health import healthz_response

#: How long the home page's counts of open ideas and calls may be old (seconds).
HOME_COUNTS_SECONDS = 60


def home(request):
    ideas = (
        ProjectIdea.objects.open()
        .visible_to(request.user)
        .select_related("lead", "call", "programme")
        .order_by("-created_at")[:6]
    )
    # Organisations and countries: counted over the directory's facet index, current
    # to the last write (counting 100,000 rows here took most of the page's time).
    # Open ideas and calls: every visitor sees the same numbers, so a minute's cache.
    organisation_count, country_count = public_counts()
    idea_count, call_count = cache.get_or_set(
        f"home-counts:{timezone.localdate().isoformat()}",
        lambda: (
            # Only ideas whose lead is listed: a hidden or inactive organisation's ideas
            # are counted nowhere (issue 10).
            ProjectIdea.objects.open().visible_to(AnonymousUser()).count(),
            Call.objects.open().count(),
        ),
        HOME_COUNTS_SECONDS,
    )
    context = {
        "recent_ideas": ideas,
        "organisation_count": organisation_count,
        "idea_count": idea_count,
        "call_count": call_count,
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
