"""Pages of the meetings app, one module per aggregate; access helpers in access.py."""
