; JavaScript/TypeScript web frameworks: routers, routes and mounts. Arguments
; are read by src/lang/ts_arch.rs; a route's receiver must turn out to be a
; router (declared here or imported), else the call is not a route.

; const app = express()   const r = express.Router()   const r = Router()   const app = fastify()
; const app = new Hono()   const router = new Router({ prefix: '/api' })  (koa-router)
; matched in Rust: src/lang/ts_natives.rs, ROUTER_DEF

; const app = require('express')()   const app = require('fastify')({ logger: true })
; const router = require('express').Router()
(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: [
      (call_expression
        function: (identifier) @_req
        arguments: (arguments . (string (string_fragment) @ctor) .))
      (member_expression
        object: (call_expression
          function: (identifier) @_req
          arguments: (arguments . (string (string_fragment) @_mod) .))
        property: (property_identifier) @ctor)
    ]
    arguments: (arguments) @args)
  (#eq? @_req "require")
  (#any-of? @_mod "express")
  (#any-of? @ctor "express" "fastify" "Router")) @router.def

; Calls on a receiver, `obj.method(…)`, are one pattern in shapes.scm, with the
; method names in sorted tables of src/lang/ts_shapes.rs:
; app.get('/p', handler)   router.post('/p', mw, handler)   app.all('/p', h)   (ROUTE_METHODS: @endpoint.route)
; router.route('/p').get(h).post(h)  (Express)   app.route('/p', sub)  (Hono mount)   (@endpoint.chain)
; fastify.route({ method: 'GET', url: '/p', handler })   (@endpoint.object)
; app.use('/api', router)   app.use(router)   fastify.register(plugin, { prefix: '/v1' })   (MOUNT_METHODS: @router.mount)
; NestJS: app.setGlobalPrefix('api')   (@router.global)

; NestJS: @Controller('users') class UsersController { @Get(':id') find() {} }
; and @Module({ controllers: [UsersController], imports: [OrdersModule] }) class AppModule {}
; and its gRPC decorators (one pattern, told apart in ts_arch): @GrpcMethod('UserService', 'Login')
; serves a proto service, @InjectGrpcClientService('user_module', 'UserService') calls it
; matched in Rust: src/lang/ts_natives.rs, NEST_DECORATOR

; Next.js route handlers: export async function GET() {}   export const POST = …   export default handler
(export_statement declaration: (function_declaration name: (identifier) @name)) @endpoint.export
(export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name))) @endpoint.export
(export_statement "default") @endpoint.default

; import users from './users'   import { router as users } from './r'   import * as r from './r'
(import_clause (identifier) @name) @bind.default
(import_specifier name: (identifier) @name alias: (identifier)? @alias) @bind.named
(namespace_import (identifier) @name) @bind.namespace
; const users = require('./users')   const { Auth, Users: U } = require('./common')
(variable_declarator
  name: [(identifier) (object_pattern)] @name
  value: (call_expression function: (identifier) @_q arguments: (arguments . (string)))
  (#eq? @_q "require")) @bind.require

; The port a server listens on: app.listen(3000)   app.listen(PORT, cb)   fastify.listen({ port: 4000 })
; (a `localhost:PORT` call no deployment file publishes reaches the one service binding it)
; (SINGLE_METHODS `listen`, matched by shapes.scm)
