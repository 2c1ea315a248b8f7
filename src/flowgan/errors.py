"""Exceptions raised for bad input; the CLI turns them into one clear line."""


class FlowganError(ValueError):
    """A user-facing error: the message names the file, column or value at fault."""


class DataValidationError(FlowganError):
    """Input data is malformed (missing file, wrong header, bad values, unknown classes)."""


class ModelFileError(FlowganError):
    """A saved model directory is missing files or comes from an incompatible version."""
