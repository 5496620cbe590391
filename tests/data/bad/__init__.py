"""Files a nightly sync must survive: each names what is wrong with it in tests/data/bad/corpus.py."""
