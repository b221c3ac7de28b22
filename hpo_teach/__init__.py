"""hpo_teach: the helper package of the hpo-teach course on hyperparameter optimization.

Folders mirror the course: ``data``, ``models``, ``training`` (Part I), ``search`` (Part II),
``hypergrad`` and ``problems`` (Parts III-V), ``viz``. Each module holds one idea; notebooks
derive a method in the open, check it against the module, and then import it.
"""

__version__ = "0.1.0"
