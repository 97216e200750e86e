"""The REST API, /api/v1/ (django-ninja). OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

The pattern (docs/api.md, "Adding an endpoint"): one router per area in `routers/<area>.py`,
added below; reads start from people/access.py, writes call `<app>/services.py`; errors are
the handlers in errors.py; lists use pagination.PageNumberPagination.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from . import errors
from .auth import SessionAuth, TokenAuth
from .routers import me, people

api = NinjaAPI(
    title="Veerkracht API",
    version="1",
    description=(
        "Veerkracht's REST API. Authenticate with a personal API token "
        "(`Authorization: Bearer vk_…`) or, from the browser, the session (plus `X-CSRFToken` "
        'on writes). Errors are `{"detail": …}`; lists are paginated with `page` and `page_size`. '
        "See docs/api.md."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # With 'ninja' in INSTALLED_APPS ninja serves its bundled Swagger UI from /static/ninja/
    # (no CDN, no inline script: our CSP allows neither). validatorUrl=None: no call to
    # validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    # Token first: a request carrying a token is judged by it, never by a cookie next to it.
    auth=[TokenAuth(), SessionAuth()],
)
errors.install(api)

api.add_router("/me", me.router)
api.add_router("/", people.router)
api.add_router("/", "veerkracht.api.routers.pulses.router")  # issue 5: pulse surveys
api.add_router(
    "/", "veerkracht.api.routers.planning.router"
)  # issue 3: history, targets, forecasts, staffing, what-if
api.add_router("/", "veerkracht.api.routers.home.router")  # issue 5: circumstances, home workplace
api.add_router("/", "veerkracht.api.routers.checkins.router")  # issue 5: 1:1s, attention
api.add_router("/", "veerkracht.api.routers.availability.router")  # issue 4: availability
api.add_router("/", "veerkracht.api.routers.swaps.router")  # issue 4: shift swaps
api.add_router("/", "veerkracht.api.routers.rosters.router")  # issue 4: roster runs, publishing
api.add_router("/", "veerkracht.api.routers.shifts.router")  # issue 4: my shifts, team roster
api.add_router("/", "veerkracht.api.routers.intraday.router")  # issue 4: intraday
