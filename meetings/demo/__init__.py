"""The demo world of bodies, meetings and cases (meetings.py) and its attendance answers (attendance.py)."""

from meetings.demo.meetings import load

__all__ = ["load"]
