"""The topic contracts of modworker: pydantic v2 models, with generated JSON Schema files beside them."""
from schemas.models import (
    ACTIONS,
    Action,
    EnforcementEvent,
    MessageEvent,
    Reason,
    Surface,
)

__all__ = ["ACTIONS", "Action", "EnforcementEvent", "MessageEvent", "Reason", "Surface"]
