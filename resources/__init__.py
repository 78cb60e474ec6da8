"""Static resources shipped with the package: the theme and the alarm tones."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
