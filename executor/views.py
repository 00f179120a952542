from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from designer import roles
from executor.models import Execution


@login_required
def execution(request: HttpRequest, execution_id: str) -> HttpResponse:
    run = Execution.objects.select_related("state_machine").filter(pk=execution_id).first()
    if run is None or not roles.may(request.user, "view", run.state_machine):
        raise Http404
    return render(
        request,
        "app.html",
        {
            "page": "execution",
            "machine": run.state_machine.name,
            "execution": str(run.pk),
            "title": run.name,
        },
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """The approvals inbox: every waiting task token the user may answer (its data comes
    from the REST API)."""
    return render(
        request,
        "app.html",
        {"page": "approvals", "machine": "", "execution": "", "title": "Approvals"},
    )


@login_required
def executions(request: HttpRequest) -> HttpResponse:
    """Every run the user may view; the page asks the API for them (executor/listing_api)."""
    return render(
        request,
        "app.html",
        {"page": "executions", "machine": "", "execution": "", "title": "Executions"},
    )
