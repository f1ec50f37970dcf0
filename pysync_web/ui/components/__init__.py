"""Widgets more than one page draws the same way (platform badge, …); each in its own module."""
