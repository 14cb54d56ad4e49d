"""The rule catalogue: one module per family, named by its codes.

``jc0_suppressions`` (JC00x), ``jc1_yaml`` (JC1xx), ``jc2_structure`` (JC2xx),
``jc3_security`` (JC3xx), ``jc4_instances`` (JC4xx), ``jc5_live`` (JC5xx). Each rule is a
``Rule`` object that documents itself and creates its own findings (``RULE.at(...)``);
``catalogue`` lists them all and the ordered file checks. This package's ``__init__``
imports nothing, so any stage can import the rule it emits without import cycles.
"""
