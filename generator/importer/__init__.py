"""``python -m generator import``: turn a published notice into a draft data file.

The importer reads a notice as its issuer publishes it (DOCX, DOC/WPS, PDF with a text layer,
a saved HTML page, plain text), writes its text to ``data/sources/<id>.txt`` and a draft
``data/calls/<id>.yaml`` in which every value is quoted exactly from that text. Whatever it
does not find stays unknown (null) and is listed in a review report and as ``# 待核对``
comments in the draft. Everything is rules over parsing libraries: deterministic and offline.

Public entry point: :func:`generator.importer.command.import_notice`.
"""
