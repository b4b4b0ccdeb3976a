class EnrolmentError(Exception):
    """A rule forbids the change. `message` is translated and safe to show; `code` is stable."""

    def __init__(self, message, code):
        super().__init__(str(message))
        self.message = message
        self.code = code
