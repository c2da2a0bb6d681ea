"""Import every model so that metadata (and Alembic) sees all tables."""

from .assessment.models import (  # noqa: F401
    Answer, Assessment, AssessmentEvent, IndicatorComment, ProvinceDeadline, Round)
from .accounts.models import AccountCode, AuditEvent  # noqa: F401
from .auth.models import User, UserScope  # noqa: F401
from .chain.models import (  # noqa: F401
    Dispatch, DispatchEvent, DueItem, DueItemDeadline, ProvinceCoordinator)
from .committees.models import (  # noqa: F401
    AppointmentOrder, Committee, CommitteeMember, ExportLog, Meeting,
    StrongSubdistrictActivity)
from .files.models import StoredFile  # noqa: F401
from .evidence.models import (  # noqa: F401
    EvidenceAttachment, EvidenceChunk, EvidenceFile, EvidenceHolder, EvidenceObject,
    EvidenceUpload)
from .deliveries.models import Delivery, DeliveryPreference, PushSubscription  # noqa: F401
from .notifications.models import Notice  # noqa: F401
from .org.models import Area  # noqa: F401
from .security.models import RateLimitCounter  # noqa: F401
from .reports.models import DistrictAcceptance, DistrictReport, ReportFile  # noqa: F401
from .framework_versions.models import FrameworkActivation, FrameworkVersion  # noqa: F401
from .sync_api.models import SyncReceipt  # noqa: F401
