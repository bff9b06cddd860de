"""Sizing commands: size, staff, trunks, bandwidth."""

COMMANDS: list = []
