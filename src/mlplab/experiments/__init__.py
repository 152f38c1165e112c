"""Built-in runs (the seed lessons and classic experiments) and declarative experiment files."""
