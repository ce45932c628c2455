"""Attribute extractors: locations, dates, quantities, attributions."""
