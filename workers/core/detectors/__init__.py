"""The one list of registered detectors. Add a detector by adding its file and one line here.

Topic detectors emit findings with a label; cue detectors emit label-less support (positive weight) that
only raises labels a topic found; context detectors emit damping (negative weight), label-less or for the
labels they concern.
"""
from __future__ import annotations

from workers.core.detectors.account_rental import AccountRental
from workers.core.detectors.base import Context, Detector, compile_lexicons
from workers.core.detectors.contact_cta import ContactCta
from workers.core.detectors.employer_context import EmployerContext
from workers.core.detectors.fake_job import FakeJob
from workers.core.detectors.family_context import FamilyContext
from workers.core.detectors.fraud_drainage import FraudDrainage
from workers.core.detectors.identity_verification import IdentityVerification
from workers.core.detectors.low_effort import LowEffort
from workers.core.detectors.money_offer import MoneyOffer
from workers.core.detectors.news_context import NewsContext
from workers.core.detectors.order_brushing import OrderBrushing
from workers.core.detectors.paid_posting import PaidPosting
from workers.core.detectors.question_context import QuestionContext
from workers.core.detectors.quote_context import QuoteContext
from workers.core.detectors.sexual_services import SexualServices
from workers.core.detectors.unqualified_product import UnqualifiedProduct
from workers.core.detectors.upfront_fee import UpfrontFee
from workers.core.detectors.urgency import Urgency
from workers.core.detectors.warning_context import WarningContext

DETECTORS: tuple[Detector, ...] = (
    # topics (one label each)
    PaidPosting(),
    AccountRental(),
    OrderBrushing(),
    IdentityVerification(),
    FakeJob(),
    UnqualifiedProduct(),
    SexualServices(),
    FraudDrainage(),
    # support cues (label-less, positive)
    MoneyOffer(),
    ContactCta(),
    Urgency(),
    LowEffort(),
    UpfrontFee(),
    # context (negative)
    WarningContext(),
    NewsContext(),
    QuestionContext(),
    QuoteContext(),
    FamilyContext(),
    EmployerContext(),
)

# compile the lexicons of all detectors together now, not on the first event
compile_lexicons()

__all__ = ["DETECTORS", "Context", "Detector"]
