; Python web frameworks: routers, routes and mounts. Arguments are read by
; src/lang/py_arch.rs (keyword arguments such as methods=, url_prefix=, prefix=).
;
; Calls that differ only in a name are one pattern each in shapes.scm, with
; the names in sorted tables of src/lang/py_arch.rs:
; app = Flask(__name__)   bp = Blueprint("b", __name__, url_prefix="/b")   r = APIRouter(prefix="/r")   app = FastAPI()
; self.app = FastAPI()   self.bp = Blueprint("b", __name__): a router held in a field (ROUTER_CTORS, FIELD_ROUTER_CTORS)
; app.add_url_rule("/p", view_func=f, methods=[...])   router.add_api_route("/p", f, methods=[...])   (ROUTE_METHODS)
; app.register_blueprint(bp, url_prefix="/x")   app.include_router(r, prefix="/x")   (MOUNT_METHODS)
; Django urls.py: path("items/<int:pk>/", views.item)   re_path(r"^x/$", v)   path("api/", include("app.urls"));
; url(r"^x/$", v): Django < 4's regex route   (DJANGO_ROUTES)
; aiohttp: web.get("/p", h)   web.route("GET", "/p", h)   web.view("/p", View), in a route list   (WEB_METHODS)
; Starlette: Route("/p", endpoint, methods=[...])   WebSocketRoute("/ws", h)   Mount("/p", routes=[...])   (LISTED_CTORS)
; aiohttp: app.router.add_get("/p", h)   add_route("GET", "/p", h)   app.add_routes(routes)   app.add_subapp("/p", sub);
; Starlette: app.add_route("/p", h, methods=[...])   (AIOHTTP_METHODS)
; add_route = app.router.add_route; add_route("GET", "/p", h): the app's own router   (AIOHTTP_FUNCTIONS)

; @app.route("/p", methods=[...])   @bp.get("/p")   @router.post("/p")   @app.api_route("/p", methods=[...])
(decorated_definition
  (decorator
    (call
      function: (attribute object: (_) @router attribute: (identifier) @method)
      arguments: (argument_list) @args))
  definition: (function_definition name: (identifier) @handler)
  (#any-of? @method "route" "get" "post" "put" "patch" "delete" "head" "options" "api_route" "websocket")) @endpoint.route

; self.app.post("/prompt")(self.handle_prompt): the decorator called on the handler; kept
; only when the receiver is a router this file builds (py_arch::Collector::finish)
(call
  function: (call
    function: (attribute object: (_) @router attribute: (identifier) @method)
    arguments: (argument_list) @args)
  arguments: (argument_list . [(identifier) (attribute)] @handler .)
  (#any-of? @method "route" "get" "post" "put" "patch" "delete" "head" "options" "api_route")) @endpoint.called

; Django REST framework: router.register(r"users", UserViewSet, basename="user")
(call
  function: (attribute object: (_) @router attribute: (identifier) @method)
  arguments: (argument_list . (string) @path . (_) @handler)
  (#eq? @method "register")) @endpoint.viewset

; class UserViewSet(viewsets.ModelViewSet): its actions, @action routes and lookup field;
; class ItemView(APIView) / (generics.ListCreateAPIView) / (View): the methods it answers
(class_definition
  name: (identifier) @class
  superclasses: (argument_list) @base
  body: (block) @body
  (#match? @base "View|ModelMixin|ObtainAuthToken")) @drf.viewset

; urlpatterns += router.urls   urlpatterns = [...] + router.urls   urlpatterns = router.urls
(augmented_assignment
  left: (identifier) @parent
  right: (attribute object: (_) @child attribute: (identifier) @_u)
  (#eq? @_u "urls")) @router.urls
(assignment
  left: (identifier) @parent
  right: [(attribute object: (_) @child attribute: (identifier) @_u)
          (binary_operator (attribute object: (_) @child attribute: (identifier) @_u))]
  (#eq? @_u "urls")) @router.urls

; from .users import bp as users_bp: the local name of an imported router or constant
(import_from_statement
  name: (aliased_import name: (dotted_name) @name alias: (identifier) @alias)) @bind.alias
