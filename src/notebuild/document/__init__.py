"""The output-neutral document model that every writer walks (model), and its changes (changes).

Imports nothing of notebuild: readers, kinds, the calculus and compose stay out.
"""
