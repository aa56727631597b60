from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import CreateView, DetailView, ListView

from .models import Organisation


class OrganisationListView(ListView):
    paginate_by = 20

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)


class OrganisationDetailView(DetailView):
    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)


class OrganisationCreateView(LoginRequiredMixin, CreateView):
    model = Organisation
    fields = ["name", "kind", "country", "city"]
