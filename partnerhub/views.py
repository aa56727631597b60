"""Site-wide pages: home, the signed-in dashboard, and the load balancer's health check."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organisations.directory import public_counts
from projects.idea_index import newest_open_ideas
from projects.models import Call, ProjectIdea

from .dashboard import dashboard_sections, staff_sections
from .health import healthz_response

#: How long the home page's count of open calls may be old (seconds).
HOME_COUNTS_SECONDS = 60


def home(request):
    # The newest open ideas and their count come from the idea index, the organisations
    # and countries from the directory's facet index: both current to the last write
    # (sorting and counting the open ideas joined to their leads took most of the page).
    # Only ideas whose lead is listed count: a hidden or inactive organisation's ideas
    # are counted nowhere (issue 10); a member also sees their own organisation's.
    newest, idea_count = newest_open_ideas(request.user, limit=6)
    ideas = sorted(
        ProjectIdea.objects.filter(pk__in=newest).select_related("lead", "call", "programme"),
        key=lambda idea: newest.index(idea.pk),
    )
    organisation_count, country_count = public_counts()
    # Open calls: every visitor sees the same number, so a minute's cache.
    call_count = cache.get_or_set(
        f"home-calls:{timezone.localdate().isoformat()}",
        lambda: Call.objects.open().count(),
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
    if request.user.is_staff:
        # Staff look after the site: its queues, not a member's organisations.
        return render(request, "staff_dashboard.html", staff_sections())
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
