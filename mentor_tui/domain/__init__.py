"""Pure domain: models and rules shared by every backend. No I/O, no Textual, no clock."""
