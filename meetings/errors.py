"""The one error of the meetings app: a broken rule, with a translated message for the page."""


class MeetingsError(Exception):
    """A rule of bodies, meetings or cases was broken; the message is translated and shown beside the form."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
