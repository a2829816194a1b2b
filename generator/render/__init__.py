"""Renderers: each takes the validated calls (in a BuildContext) and writes one format."""
