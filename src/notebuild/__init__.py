"""notebuild: Københavns Kommune's budget notes and committee memos from YAML to Word and HTML."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("notebuild")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
