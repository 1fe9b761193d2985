; Python imports. Each capture is resolved by src/lang/python.rs, which groups
; the parts of one statement and reads the context (function, try, TYPE_CHECKING).

; import a.b   /   import a.b as c
(import_statement name: (dotted_name) @import.module)
(import_statement name: (aliased_import name: (dotted_name) @import.module))

; from a.b import c, d as e   /   from ..x import *   /   from . import y
(import_from_statement module_name: (_) @import.from)
(import_from_statement name: (dotted_name) @import.name)
(import_from_statement name: (aliased_import name: (dotted_name) @import.name))
(import_from_statement (wildcard_import) @import.name)

; from __future__ import annotations
(future_import_statement) @import.future

; __import__("a.b") and importlib.import_module("a.b"): imports by name at run time
(call
  function: (identifier) @_f
  arguments: (argument_list . (string (string_content) @import.dynamic))
  (#eq? @_f "__import__"))
(call
  function: (attribute object: (identifier) @_o attribute: (identifier) @_a)
  arguments: (argument_list . (string (string_content) @import.dynamic))
  (#eq? @_o "importlib")
  (#eq? @_a "import_module"))
(call
  function: (identifier) @_f
  arguments: (argument_list . (string (string_content) @import.dynamic))
  (#eq? @_f "import_module"))
