"""The one error of the publishing app: a broken rule, with a translated message for the page."""


class PublishingError(Exception):
    """A rule of publishing or follow-up was broken; the message is translated and shown beside the form."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
