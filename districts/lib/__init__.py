"""Code with no tie to Django: Thai dates, digits and money; reading and writing spreadsheets;
the fair-distribution solver; photo processing. Each module says so in its first line; the
apps above import these, never the other way (tests/test_layers.py)."""
