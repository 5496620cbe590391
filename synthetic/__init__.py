"""Synthetic City of London sources with known truth, for the sample and for measuring the resolver."""
