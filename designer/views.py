from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from designer import actions, gallery, roles
from designer.models import StateMachine


@login_required
def index(request: HttpRequest) -> HttpResponse:
    from executor.models import Execution  # the list page links to runs

    error, name, suggestion = "", "", None
    chosen = request.POST.get("template", "")
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        template = gallery.template(chosen)
        try:
            machine = actions.create_state_machine(
                name,
                template.definition if template else actions.STARTER_DEFINITION,
                type=request.POST.get("type", "STANDARD"),
                owner=request.user,
            )
        except actions.ActionError as exc:
            error, suggestion = exc.message, exc.suggestion
        else:
            return redirect("designer", machine.name)
    machines = roles.machines_for(request.user, "view")
    runs = Execution.objects.filter(state_machine__in=machines).select_related("state_machine")
    return render(
        request,
        "designer/index.html",
        {
            "machines": machines,
            "runs": runs[:20],
            "error": error,
            # A refused name is replaced by the nearest allowed one, ready to submit.
            "name": suggestion or name,
            "suggested": bool(suggestion),
            "templates": gallery.templates(),
            "chosen": chosen,
        },
        status=400 if error else 200,
    )


@login_required
def designer(request: HttpRequest, name: str) -> HttpResponse:
    machine = StateMachine.objects.filter(name=name).first()
    if machine is None or not roles.may(request.user, "view", machine):
        raise Http404
    return render(
        request,
        "app.html",
        {"page": "designer", "machine": machine.name, "execution": "", "title": machine.name},
    )
