"""Outdoor-temperature forecasts for the console (docs/forecast-format.md); no Qt."""
