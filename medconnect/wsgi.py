import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medconnect.settings")

application = get_wsgi_application()

if os.environ.get("MEDCONNECT_BENCH_CEILING") == "1":
    # Load tests only: a Django view outside the middleware stack (medconnect/bench.py).
    from .bench import with_bare_view

    application = with_bare_view(application)
