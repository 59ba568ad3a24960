"""Imports every table module so that `Base.metadata` knows the whole store."""

from tenure.accounts import access_models, assignment_models
from tenure.accounts import models as accounts_models
from tenure.core.db import Base
from tenure.revenue import models as revenue_models
from tenure.surveys import models as surveys_models

__all__ = [
    "Base",
    "access_models",
    "accounts_models",
    "assignment_models",
    "revenue_models",
    "surveys_models",
]
