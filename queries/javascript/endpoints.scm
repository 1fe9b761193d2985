; JavaScript/TypeScript web frameworks: routers, routes and mounts. Arguments
; are read by src/lang/ts_arch.rs; a route's receiver must turn out to be a
; router (declared here or imported), else the call is not a route.

; const app = express()   const r = express.Router()   const r = Router()   const app = fastify()
; const app = new Hono()   const router = new Router({ prefix: '/api' })  (koa-router)
; matched in Rust: src/lang/ts_natives.rs, ROUTER_DEF

; const app = require('express')()   const app = require('fastify')({ logger: true })
; const router = require('express').Router()
; matched in Rust: src/lang/ts_natives.rs, ROUTER_DEF_REQUIRE

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
; matched in Rust: src/lang/ts_natives.rs, ENDPOINT_EXPORT_FUNCTION
; matched in Rust: src/lang/ts_natives.rs, ENDPOINT_EXPORT_CONST
; matched in Rust: src/lang/ts_natives.rs, ENDPOINT_DEFAULT

; import users from './users'   import { router as users } from './r'   import * as r from './r'
; matched in Rust: src/lang/ts_natives.rs, BIND_DEFAULT
; matched in Rust: src/lang/ts_natives.rs, BIND_NAMED
; matched in Rust: src/lang/ts_natives.rs, BIND_NAMESPACE
; const users = require('./users')   const { Auth, Users: U } = require('./common')
; matched in Rust: src/lang/ts_natives.rs, BIND_REQUIRE

; The port a server listens on: app.listen(3000)   app.listen(PORT, cb)   fastify.listen({ port: 4000 })
; (a `localhost:PORT` call no deployment file publishes reaches the one service binding it)
; (SINGLE_METHODS `listen`, matched by shapes.scm)
