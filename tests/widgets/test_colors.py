"""Every quality has its own look wherever qualities are mapped to colours, markers and labels
(a new Quality without one would raise KeyError in a paint, or pass for GOOD)."""

from __future__ import annotations

import pytest

from drivers.samples import Quality
from widgets import colors, schematic_symbols, theme


@pytest.mark.parametrize("q", list(Quality))
def test_every_quality_has_a_colour_marker_label_and_style(q: Quality) -> None:
    assert isinstance(colors.QUALITY_TEXT[q], str) and colors.QUALITY_TEXT[q]
    assert q in colors.QUALITY_COLOR and q in colors.QUALITY_MARKER
    assert q in theme.QUALITY_PROP
    assert bool(colors.QUALITY_MARKER[q]) == (q != Quality.GOOD)  # only GOOD goes unmarked
    assert (q == Quality.GOOD) == (theme.QUALITY_PROP[q] == "")
    if q != Quality.GOOD:  # the label style exists in the sheet
        assert f'QLabel[quality="{theme.QUALITY_PROP[q]}"]' in theme.style_sheet()


def test_wrong_device_looks_like_nothing_else() -> None:
    w = Quality.WRONG_DEVICE
    others = [q for q in Quality if q != w]
    assert all(colors.QUALITY_COLOR[w] != colors.QUALITY_COLOR[q] for q in others)
    assert colors.QUALITY_MARKER[w] not in {colors.QUALITY_MARKER[q] for q in others}
    key = (None, w, False, False)
    assert schematic_symbols.fill_color(key) == colors.WRONG_DEVICE
    assert schematic_symbols.is_abnormal(key)
    assert schematic_symbols.symbol_brush(key, True).style() != (
        schematic_symbols.symbol_brush((None, Quality.GOOD, False, False), True).style()
    )
    assert 'QLabel[quality="wrongdev"]' in theme.style_sheet()
