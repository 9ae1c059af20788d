"""Problems as people and CI read them: text with the source line, JSON, GitHub, JUnit; progress.

Imports only problems, characters (how hidden characters are shown) and files.
"""
