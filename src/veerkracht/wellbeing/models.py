"""Wellbeing models: 1:1 check-ins (models_checkins) and home workplace (models_home)."""

from .models_checkins import *  # noqa: F403

try:
    from .models_home import *  # noqa: F403
except ImportError:  # the home-workplace module is built separately (issue 5)
    pass
