from functools import wraps

from django.http import Http404


def mfa_not_required(view_func):
    """Mark a view that holds no patient data: reachable before two-factor enrolment."""
    view_func.mfa_required = False
    return view_func


def role_required(*roles):
    """Only signed-in people of these roles; everyone else gets a 404."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise Http404("No such page.")
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator
