"""The law, written once: pure, typed rules with the year's settings as input."""
