"""Every model, imported in one place so Alembic and the app see the whole schema."""

from .api.models import IdempotencyKey
from .audit.models import AuditEntry
from .auth.models import (
    ApiToken,
    LoginAttempt,
    LoginSession,
    PasswordLink,
    RecoveryCode,
    User,
    organiser_network,
)
from .documents.models import Document
from .mail.models import OutboxMessage
from .outcomes.models import (
    FollowUpCheck,
    FollowUpDigest,
    Recommendation,
    RecommendationProgress,
    Track1Body,
    Track1BodyMember,
    UptakeEvent,
    UptakeEventReference,
    recommendation_target,
    recommendation_theme,
)
from .outputs.models import Output, output_workshop
from .people.models import FirstAttendance, Participation, Person
from .programme.models import (
    AgendaItem,
    AgendaItemPerson,
    MemberInstitute,
    Network,
    Series,
    SeriesStatusChange,
    Theme,
    Workshop,
    WorkshopInstitute,
    institute_network,
    workshop_network,
    workshop_theme,
)
from .reports.models import ReportForeword

__all__ = [
    "FirstAttendance", "FollowUpCheck", "FollowUpDigest",
    "AgendaItem", "AgendaItemPerson", "ApiToken", "AuditEntry", "Document", "IdempotencyKey", "LoginAttempt", "LoginSession",
    "MemberInstitute", "Network", "OutboxMessage", "Output", "Participation", "PasswordLink", "Person", "Recommendation", "RecommendationProgress",
    "RecoveryCode", "ReportForeword",
    "Series", "SeriesStatusChange", "Theme", "Track1Body", "Track1BodyMember", "UptakeEvent", "UptakeEventReference",
    "User", "Workshop", "institute_network", "organiser_network", "output_workshop", "recommendation_target",
    "recommendation_theme", "workshop_theme", "WorkshopInstitute", "workshop_network",
]
