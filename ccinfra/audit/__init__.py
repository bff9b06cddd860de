"""Audits: measured values and running configurations checked against what was planned.

``grounding`` — fall-of-potential earth-resistance readings (IEEE 81) against the targets.
"""
