"""The one domain exception of billing."""


class BillingError(Exception):
    """A billing rule refused the action; `message` is translated and shown beside the form.

    `details` lists the particulars (the blockers of a run, the EHF rule ids that failed); `fix`,
    when given, is the billing.blockers.Blocker saying where the refusal is put right and by whom.
    """

    def __init__(self, message, details=None, fix=None):
        super().__init__(str(message))
        self.message = str(message)
        self.details = [str(d) for d in (details or [])]
        self.fix = fix

    def __str__(self):
        if self.details:
            return f"{self.message} " + "; ".join(self.details)
        return self.message
