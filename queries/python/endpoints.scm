; The patterns these comments describe are matched in Rust: src/lang/py_natives.rs quotes
; each one and tests it against the compiled quote; only the import binding at the end is
; still compiled (it is rooted at an import statement, which the imports pass runs at anyway).
;
; Python web frameworks: routers, routes and mounts. Arguments are read by
; src/lang/py_arch.rs (keyword arguments such as methods=, url_prefix=, prefix=).
;
; Calls that differ only in a name are one shape each (src/lang/py_natives.rs), with
; the names in sorted tables of src/lang/py_shapes.rs:
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

; self.app.post("/prompt")(self.handle_prompt): the decorator called on the handler; kept
; only when the receiver is a router this file builds (py_arch::Collector::finish)

; Django REST framework: router.register(r"users", UserViewSet, basename="user")

; class UserViewSet(viewsets.ModelViewSet): its actions, @action routes and lookup field;
; class ItemView(APIView) / (generics.ListCreateAPIView) / (View): the methods it answers

; urlpatterns += router.urls   urlpatterns = [...] + router.urls   urlpatterns = router.urls

; from .users import bp as users_bp: the local name of an imported router or constant
(import_from_statement
  name: (aliased_import name: (dotted_name) @name alias: (identifier) @alias)) @bind.alias
