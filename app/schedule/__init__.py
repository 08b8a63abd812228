"""The reading schedule: meetings with a date and the chapters they cover."""
