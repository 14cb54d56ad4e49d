"""jamacheck: lint Jama Connect Interchange connector declarations kept as YAML."""

__version__ = "0.2.0"
