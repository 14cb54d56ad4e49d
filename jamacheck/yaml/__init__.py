"""Stage 1: bytes to a tree with positions (decode, compose with libyaml events, booleans).

This package is named for what it reads; ``import yaml`` inside it still means PyYAML.
"""
