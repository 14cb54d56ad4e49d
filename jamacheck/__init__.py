"""jamacheck: lint Jama Connect Interchange connector declarations kept as YAML."""

__version__ = "0.1.0"
