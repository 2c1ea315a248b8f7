"""Validation of synthetic rows against real rows: the seed's ``GANValidator`` and the
stateless functions behind it (``statistics``, ``figures``, ``text_report``)."""

from flowgan.validation.validator import GANValidator

__all__ = ["GANValidator"]
