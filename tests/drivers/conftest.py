from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from station_config.schema import TemplateDef

TEMPLATE = Path(__file__).resolve().parents[2] / "station_config/templates/substation-v1.yaml"


@pytest.fixture(scope="session")
def substation_template() -> TemplateDef:
    return TemplateDef.model_validate(yaml.safe_load(TEMPLATE.read_text(encoding="utf-8")))
