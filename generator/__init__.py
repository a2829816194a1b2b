"""科协申报指南 generator: call data (YAML) → guideline site, forms (DOCX/PDF), open data.

The one obvious entry point is :func:`generator.pipeline.build`; ``python -m generator``
is its command line.
"""

__version__ = "0.1.0"
