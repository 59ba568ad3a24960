"""Errors of surveys, campaigns, survey links and survey response imports."""

from tenure.core.errors import ConfigurationError, InvalidInput, NotFound


class SurveyNotFound(NotFound):
    """No survey has the id asked for."""


class CampaignNotFound(NotFound):
    """No campaign has the id asked for."""


class InvalidSurvey(InvalidInput):
    """A survey, campaign, audience or answer cannot be used as given."""


class InvalidLink(InvalidInput):
    """A survey link is tampered with, expired, or belongs to another survey."""


class MailSettingsInvalid(ConfigurationError):
    """The SMTP settings for survey e-mails cannot work."""


class MailRefused(Exception):
    """The SMTP server did not take a survey e-mail; the send is retried."""
