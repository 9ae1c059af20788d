"""The live preview: a local HTTP server that renders a folder's notes on request and reloads the
browser when a source, kind or template changes. Writes nothing.
"""
