# Nynorsk writes dates and numbers as Bokmål does.
from khs.formats.nb.formats import *  # noqa: F401,F403
