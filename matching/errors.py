"""The engine's one exception, apart so that the command line can catch it before numpy
is loaded (``python -m matching`` imports numpy and scipy inside the command it runs)."""


class InputError(ValueError):
    """Raised for bad input; the message is one line naming the problem."""
