; TypeScript-only import forms, joined after queries/javascript/imports.scm.

; import type {A} from "m"   import type X from "m"
(import_statement "type" source: (string) @import.type_only)

; export type {A} from "m"
(export_statement "type" source: (string) @import.type_only)

; import x = require("m")
(import_require_clause source: (string) @import.module)
