"""Pages of the register, one module per aggregate (see urls.py)."""
