"""The engagement record's reports as plain arithmetic over the graph's counts (pure: no I/O).

``periods``: days into ISO weeks or months; ``figures``: means and shares, rounded half up;
``satisfaction``: survey responses per period and group; ``coverage``: how many stakeholders were engaged
within 30, 90 and 365 days, and the priority stakeholders nobody has engaged lately.
"""
