"""The house format: the Word template and the HTML templates and styles."""
