; Python web frameworks: routers, routes and mounts. Arguments are read by
; src/lang/py_arch.rs (keyword arguments such as methods=, url_prefix=, prefix=).

; app = Flask(__name__)   bp = Blueprint("b", __name__, url_prefix="/b")   r = APIRouter(prefix="/r")   app = FastAPI()
(assignment
  left: (identifier) @name
  right: (call function: [(identifier) (attribute)] @ctor arguments: (argument_list) @args)
  (#match? @ctor "(^|\\.)(Flask|Blueprint|FastAPI|APIRouter|Quart|Starlette|Sanic)$")) @router.def

; @app.route("/p", methods=[...])   @bp.get("/p")   @router.post("/p")   @app.api_route("/p", methods=[...])
(decorated_definition
  (decorator
    (call
      function: (attribute object: (_) @router attribute: (identifier) @method)
      arguments: (argument_list) @args))
  definition: (function_definition name: (identifier) @handler)
  (#any-of? @method "route" "get" "post" "put" "patch" "delete" "head" "options" "api_route" "websocket")) @endpoint.route

; app.add_url_rule("/p", view_func=f, methods=[...])   router.add_api_route("/p", f, methods=[...])
(call
  function: (attribute object: (_) @router attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "add_url_rule" "add_api_route")) @endpoint.route

; app.register_blueprint(bp, url_prefix="/x")   app.include_router(r, prefix="/x")
(call
  function: (attribute object: (_) @parent attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "register_blueprint" "include_router")) @router.mount

; Django urls.py: path("items/<int:pk>/", views.item)   re_path(r"^x/$", v)   path("api/", include("app.urls"))
(call
  function: (identifier) @method
  arguments: (argument_list) @args
  (#any-of? @method "path" "re_path")) @endpoint.django

; from .users import bp as users_bp: the local name of an imported router or constant
(import_from_statement
  name: (aliased_import name: (dotted_name) @name alias: (identifier) @alias)) @bind.alias
