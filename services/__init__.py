"""The use cases: sync, review, subject access, erasure, locations, explanations — each a small module
that composes the core packages, called by the shells (the CLI, the Dagster assets, the web app)."""
