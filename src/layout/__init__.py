"""layout: newspaper special issues from YAML + photos to print-ready Chinese PDFs."""
__version__ = "0.1.0"
