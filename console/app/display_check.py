"""Before Qt opens a window: say plainly what is missing, instead of Qt's abort.

Qt 6's X11 plugin (xcb) needs a few X libraries that a minimal Debian desktop may lack; without
them Qt prints "could not load the Qt platform plugin" and aborts the process, which a
dispatcher cannot act on. We check for them first and name the Debian packages.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# Library Qt's xcb plugin loads -> the Debian package that ships it.
XCB_LIBRARIES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
}


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def will_use_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa:
        return qpa.startswith("xcb")
    return (
        platform.startswith("linux") and bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")
    )


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    loadable: Callable[[str], bool] = _loadable,
) -> str | None:
    """Why a window cannot open here, or None if it should."""
    env = os.environ if env is None else env
    headless = not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if platform.startswith("linux") and not env.get("QT_QPA_PLATFORM") and headless:
        return (
            "no display: DISPLAY/WAYLAND_DISPLAY are not set. Run on a desktop, over ssh -X, "
            "or set QT_QPA_PLATFORM=offscreen (e.g. for `heatconsole screenshot`)."
        )
    if will_use_xcb(env, platform):
        missing = [pkg for lib, pkg in XCB_LIBRARIES.items() if not loadable(lib)]
        if missing:
            return (
                "the window needs X11 libraries that are not installed: "
                f"{', '.join(missing)}. On Debian/Ubuntu: sudo apt install {' '.join(missing)}"
            )
    return None
