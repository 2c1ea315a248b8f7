"""Renderers: turn result tables and figures into text, JSON and one HTML page."""
