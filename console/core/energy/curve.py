"""The heating curve's register table now lives on the vocabulary floor (widgets read it too)."""

from console.vocabulary.curve import CURVE_POINTS

__all__ = ["CURVE_POINTS"]
