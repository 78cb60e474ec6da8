"""The pre-flight check names what keeps a window from opening (no Qt abort for the user)."""

from __future__ import annotations

from console.app.display_check import XCB_LIBRARIES, display_problem, will_use_xcb


def test_no_display_is_explained():
    msg = display_problem(env={}, platform="linux")
    assert msg is not None and "no display" in msg and "QT_QPA_PLATFORM=offscreen" in msg


def test_missing_xcb_libraries_are_named_with_their_packages():
    gone = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    msg = display_problem(
        env={"DISPLAY": ":0"}, platform="linux", loadable=lambda lib: lib not in gone
    )
    assert msg is not None
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in msg


def test_all_present_or_not_xcb_is_fine():
    assert display_problem(env={"DISPLAY": ":0"}, platform="linux", loadable=lambda _: True) is None
    assert display_problem(env={"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert not will_use_xcb({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux")
    assert will_use_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert len(set(XCB_LIBRARIES.values())) == len(XCB_LIBRARIES)
