"""`python -m schemas` writes the JSON Schema of each topic contract beside the models."""
from __future__ import annotations

import json
from pathlib import Path

from schemas.models import EnforcementEvent, MessageEvent

MODELS = {"message_event": MessageEvent, "enforcement_event": EnforcementEvent}
HERE = Path(__file__).parent


def render(model) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    for name, model in MODELS.items():
        path = HERE / f"{name}.schema.json"
        path.write_text(render(model), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
