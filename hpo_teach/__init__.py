"""hpo_teach: the helper package of the hpo-teach course on hyperparameter optimization.

Each module holds one idea; notebooks import from here instead of defining shared code.
"""

__version__ = "0.1.0"
