"""Extractors, one per kind of fact. Each reads the logical paragraphs and records findings."""
