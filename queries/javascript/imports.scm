; JavaScript imports (also loaded for TypeScript, whose grammar extends this one's).
; The string node is captured; src/lang/typescript.rs strips the quotes and
; merges every capture on the same node into one import with the union of flags.

; import x from "m"   import {a} from "m"   import * as n from "m"   import "m"
(import_statement source: (string) @import.module)

; export {a} from "m"   export * from "m"   export * as n from "m"
(export_statement source: (string) @import.module @import.reexport)

; require("m")  (CommonJS); require("./routes/" + name) loads a module chosen at run time:
; src/lang/typescript.rs records that the file does (no import)
(call_expression
  function: (identifier) @_f
  arguments: (arguments . [(string) (template_string) (binary_expression) (identifier) (call_expression)] @import.module)
  (#eq? @_f "require"))

; import("m")   import(`m`)
(call_expression
  function: (import)
  arguments: (arguments . [(string) (template_string)] @import.module @import.dynamic))
