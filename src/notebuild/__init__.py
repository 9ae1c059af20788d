"""notebuild: Københavns Kommune's budget notes and committee memos from YAML to Word and HTML."""

# The one place the version is written; pyproject.toml reads it from here. (Asking
# importlib.metadata instead costs every run 30 ms.)
__version__ = "0.1.0"
