"""Independent flow tables for testing flowgan on data its own simulator did not make.

See :mod:`flowgan.testing.tables` (:func:`~flowgan.testing.tables.make_table`).
"""
