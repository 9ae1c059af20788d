"""Problems as people and CI read them: text with the source line, JSON, GitHub, JUnit; progress.

Imports only problems and files.
"""
