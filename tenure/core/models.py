"""Imports every table module so that `Base.metadata` knows the whole store."""

from tenure.accounts import access_models, assignment_models
from tenure.accounts import models as accounts_models
from tenure.activity import models as activity_models
from tenure.alerts import models as alerts_models
from tenure.core import revision as revision_models
from tenure.core.db import Base
from tenure.health import models as health_models
from tenure.revenue import models as revenue_models
from tenure.surveys import models as surveys_models

__all__ = [
    "Base",
    "access_models",
    "accounts_models",
    "activity_models",
    "alerts_models",
    "assignment_models",
    "health_models",
    "revenue_models",
    "revision_models",
    "surveys_models",
]
