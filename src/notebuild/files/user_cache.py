"""Where notebuild keeps what it may make again: the user's cache folder, as XDG says.

$XDG_CACHE_HOME/notebuild/<name> when that variable holds an absolute path (the specification
says to ignore a relative one), else ~/.cache/notebuild/<name>; None when no home folder is
known (HOME empty or relative), so nothing is kept in the working folder or at the root.
Everything kept there is safe to delete.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder(name: str) -> Path | None:
    """Return the folder for cached `name` (not made here), or None where none is known."""
    root = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(root):
        home = os.environ.get("HOME")
        if home is None:  # not set: the user's entry in the password file, as ~ does
            home = os.path.expanduser("~")
        if not os.path.isabs(home):  # empty or relative: "~" would be "/" or the work folder
            return None
        root = os.path.join(home, ".cache")
    return Path(root, "notebuild", name)
