"""Writers: the document model into Word (.docx on the house template), HTML, PDF (through
LibreOffice) and the reviewer's pages of changes. Each walks the document model only.

Imports the document model and file helpers; never sources, kinds, the calculus or compose.
"""
