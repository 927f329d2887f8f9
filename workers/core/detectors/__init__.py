"""The one list of registered detectors. Add a detector by adding its file and one line here."""
from __future__ import annotations

from workers.core.detectors.base import Context, Detector
from workers.core.detectors.contact_cta import ContactCta
from workers.core.detectors.money_offer import MoneyOffer
from workers.core.detectors.order_brushing import OrderBrushing
from workers.core.detectors.paid_posting import PaidPosting
from workers.core.detectors.warning_context import WarningContext

DETECTORS: tuple[Detector, ...] = (
    PaidPosting(),
    OrderBrushing(),
    MoneyOffer(),
    ContactCta(),
    WarningContext(),
)

__all__ = ["DETECTORS", "Context", "Detector"]
