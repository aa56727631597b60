from django.views.generic import DetailView, ListView

from .models import Call, ProjectIdea


class IdeaListView(ListView):
    paginate_by = 20

    def get_queryset(self):
        return ProjectIdea.objects.visible_to(self.request.user)


class IdeaDetailView(DetailView):
    def get_queryset(self):
        return ProjectIdea.objects.visible_to(self.request.user)


class CallListView(ListView):
    def get_queryset(self):
        return Call.objects.open()


class CallDetailView(DetailView):
    slug_field = "code"
    slug_url_kwarg = "code"
    queryset = Call.objects.all()
