from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from designer.models import StateMachine, accessible_machines, can_access


@login_required
def index(request: HttpRequest) -> HttpResponse:
    from executor.models import Execution  # the list page links to runs

    machines = accessible_machines(request.user)
    runs = Execution.objects.filter(state_machine__in=machines).select_related("state_machine")
    return render(request, "designer/index.html", {"machines": machines, "runs": runs[:20]})


@login_required
def designer(request: HttpRequest, name: str) -> HttpResponse:
    machine = get_object_or_404(StateMachine, name=name)
    if not can_access(request.user, machine):
        raise Http404
    return render(
        request,
        "app.html",
        {"page": "designer", "machine": machine.name, "execution": "", "title": machine.name},
    )
