//! Django REST framework routers: `router.register("users", UserViewSet)` gives
//! the routes the viewset's actions ask for (www.django-rest-framework.org/api-guide/routers/):
//! `list`/`create` on `prefix/`, `retrieve`/`update`/`partial_update`/`destroy`
//! on `prefix/{lookup}/`, and each `@action` on `prefix/[{lookup}/]url_path/`.
//!
//! A Django route to a class-based view (`ItemView.as_view()`) answers the
//! methods the class handles: its own `get`/`post`… and those of its bases
//! (DRF's generic views, Django's generic views, the project's own classes).
//!
//! The actions come from the viewset class in the scanned code (its own methods,
//! its bases: DRF's `ModelViewSet`, `ReadOnlyModelViewSet`, the model mixins, or
//! another viewset of the project). A viewset that is not in the scanned code
//! gives `ANY` on the list and the detail route rather than a guess at its methods.

use super::arch::Ctx;
use crate::lang::py_arch::DRF_ACTIONS;
use crate::model::RawClass;

/// DRF's own viewset and mixin classes and the actions they bring (sorted).
const DRF_BASES: &[(&str, &[&str])] = &[
    ("CreateModelMixin", &["create"]),
    ("DestroyModelMixin", &["destroy"]),
    ("GenericViewSet", &[]),
    ("ListModelMixin", &["list"]),
    ("ModelViewSet", &["create", "destroy", "list", "partial_update", "retrieve", "update"]),
    ("ReadOnlyModelViewSet", &["list", "retrieve"]),
    ("RetrieveModelMixin", &["retrieve"]),
    ("UpdateModelMixin", &["partial_update", "update"]),
    ("ViewSet", &[]),
    ("ViewSetMixin", &[]),
];

/// Django's and DRF's generic class-based views and the methods they answer (sorted).
const GENERIC_VIEWS: &[(&str, &[&str])] = &[
    ("CreateAPIView", &["POST"]),
    ("CreateView", &["GET", "POST"]),
    ("DeleteView", &["GET", "POST"]),
    ("DestroyAPIView", &["DELETE"]),
    ("DetailView", &["GET"]),
    ("FormView", &["GET", "POST"]),
    ("ListAPIView", &["GET"]),
    ("ListCreateAPIView", &["GET", "POST"]),
    ("ListView", &["GET"]),
    // rest_framework.authtoken.views: an APIView whose own handler is `post`.
    ("ObtainAuthToken", &["POST"]),
    ("RetrieveAPIView", &["GET"]),
    ("RetrieveDestroyAPIView", &["DELETE", "GET"]),
    ("RetrieveUpdateAPIView", &["GET", "PATCH", "PUT"]),
    ("RetrieveUpdateDestroyAPIView", &["DELETE", "GET", "PATCH", "PUT"]),
    ("TemplateView", &["GET"]),
    ("UpdateAPIView", &["PATCH", "PUT"]),
    ("UpdateView", &["GET", "POST"]),
];

/// Library class-based views whose handlers are fixed, by the module they are imported
/// from (sorted by module, then class): what their own source defines.
/// - djangorestframework-simplejwt `rest_framework_simplejwt/views.py`: every token view
///   is a `TokenViewBase`, whose one handler is `post`.
/// - dj-rest-auth `dj_rest_auth/views.py` and `registration/views.py`: `post` handlers, or
///   DRF generic bases (`UserDetailsView` a `RetrieveUpdateAPIView`, `RegisterView` a
///   `CreateAPIView`, `SocialAccountListView` a `ListAPIView`). `LogoutView`'s `get` answers
///   405 unless the project sets `ACCOUNT_LOGOUT_ON_GET`, and `VerifyEmailView`'s always
///   does: both POST.
/// - djoser `djoser/views.py`: `TokenCreateView` (its `ActionViewMixin` handles `post`) and
///   `TokenDestroyView` (`post`); its other endpoints are actions of its `UserViewSet`.
const LIBRARY_VIEWS: &[(&str, &str, &[&str])] = &[
    ("dj_rest_auth.registration.views", "RegisterView", &["POST"]),
    ("dj_rest_auth.registration.views", "ResendEmailVerificationView", &["POST"]),
    ("dj_rest_auth.registration.views", "SocialAccountDisconnectView", &["POST"]),
    ("dj_rest_auth.registration.views", "SocialAccountListView", &["GET"]),
    ("dj_rest_auth.registration.views", "SocialConnectView", &["POST"]),
    ("dj_rest_auth.registration.views", "SocialLoginView", &["POST"]),
    ("dj_rest_auth.registration.views", "VerifyEmailView", &["POST"]),
    ("dj_rest_auth.views", "LoginView", &["POST"]),
    ("dj_rest_auth.views", "LogoutView", &["POST"]),
    ("dj_rest_auth.views", "PasswordChangeView", &["POST"]),
    ("dj_rest_auth.views", "PasswordResetConfirmView", &["POST"]),
    ("dj_rest_auth.views", "PasswordResetView", &["POST"]),
    ("dj_rest_auth.views", "UserDetailsView", &["GET", "PATCH", "PUT"]),
    ("djoser.views", "TokenCreateView", &["POST"]),
    ("djoser.views", "TokenDestroyView", &["POST"]),
    ("rest_framework_simplejwt.views", "TokenBlacklistView", &["POST"]),
    ("rest_framework_simplejwt.views", "TokenObtainPairView", &["POST"]),
    ("rest_framework_simplejwt.views", "TokenObtainSlidingView", &["POST"]),
    ("rest_framework_simplejwt.views", "TokenRefreshSlidingView", &["POST"]),
    ("rest_framework_simplejwt.views", "TokenRefreshView", &["POST"]),
    ("rest_framework_simplejwt.views", "TokenVerifyView", &["POST"]),
];

/// The methods a Django route's view answers: for `SomeView.as_view()`, what the
/// class handles; `ANY` for a function view or a class that is not in the scanned code.
pub fn view_methods(ctx: &Ctx, file: usize, view: &str) -> Vec<String> {
    let any = || vec!["ANY".to_string()];
    if let Some(methods) = action_map_methods(view) {
        return methods;
    }
    let Some(class) = view.strip_suffix(".as_view()").or_else(|| view.split_once(".as_view(").map(|(c, _)| c)) else {
        return any();
    };
    class_methods(ctx, file, class)
}

/// The methods a class-based view named `class` in `file` answers (its handlers and its
/// bases'), a library view's (`LIBRARY_VIEWS`), `ANY` when the class is neither in the
/// scanned code nor a known library view, or handles none: Django's `View.as_view()`, a
/// Flask-RESTX/RESTful `Resource`.
pub fn class_methods(ctx: &Ctx, file: usize, class: &str) -> Vec<String> {
    let any = || vec!["ANY".to_string()];
    let Some(v) = find(ctx, file, class) else {
        return library_view(ctx, file, class).map_or_else(any, |m| m.iter().map(|m| (*m).to_string()).collect());
    };
    let mut methods = Vec::new();
    handlers(ctx, v, &mut methods, 0);
    methods.sort();
    methods.dedup();
    if methods.is_empty() {
        return any();
    }
    methods
}

/// A viewset bound by hand, `UserViewSet.as_view({"get": "list", "post": "create"})`:
/// the dictionary's keys are the HTTP methods the route answers (DRF's
/// `ViewSetMixin.as_view(actions)`), whatever the viewset is.
fn action_map_methods(view: &str) -> Option<Vec<String>> {
    let (_, args) = view.split_once(".as_view(")?;
    let mut rest = args.trim_start().strip_prefix('{')?;
    let mut methods = Vec::new();
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = rest[start..].chars().next()?;
        let body = &rest[start + 1..];
        let end = body.find(quote)?;
        let after = body[end + 1..].trim_start();
        if after.starts_with(':') {
            methods.push(crate::lang::arch::http_method(&body[..end])?);
        }
        rest = after;
    }
    methods.sort();
    methods.dedup();
    (!methods.is_empty()).then_some(methods)
}

fn handlers(ctx: &Ctx, v: &RawClass, out: &mut Vec<String>, depth: usize) {
    out.extend(v.handlers.iter().map(|h| h.to_ascii_uppercase()));
    if depth > 8 {
        return;
    }
    for base in &v.bases {
        let last = base.rsplit('.').next().unwrap_or(base);
        if let Ok(i) = GENERIC_VIEWS.binary_search_by(|(b, _)| (*b).cmp(last)) {
            out.extend(GENERIC_VIEWS[i].1.iter().map(|m| (*m).to_string()));
            continue;
        }
        // A library view's subclass (`class Login(TokenObtainPairView)`), read where it is written.
        let library = LIBRARY_VIEWS.iter().any(|(_, c, _)| *c == last);
        if let Some(methods) = file_of(ctx, v).filter(|_| library).and_then(|f| library_view(ctx, f, base)) {
            out.extend(methods.iter().map(|m| (*m).to_string()));
            continue;
        }
        if let Some(b) = project_base(ctx, v, last) {
            handlers(ctx, b, out, depth + 1);
        }
    }
}

/// The methods of a library view ([`LIBRARY_VIEWS`]) that `name`, as written in `file`,
/// names: `TokenVerifyView` after `from rest_framework_simplejwt.views import
/// TokenVerifyView` (or `… import TokenVerifyView as Verify`, then `Verify`),
/// `views.TokenVerifyView` after `from rest_framework_simplejwt import views`,
/// `rest_framework_simplejwt.views.TokenVerifyView` after `import rest_framework_simplejwt.views`.
/// None when the name comes from the scanned code.
fn library_view(ctx: &Ctx, file: usize, name: &str) -> Option<&'static [&'static str]> {
    let facts = &ctx.project.files[file].facts;
    let last = name.rsplit('.').next().unwrap_or(name);
    // Cheap first: a library view's name, or an alias (`… import TokenVerifyView as Verify`).
    if !LIBRARY_VIEWS.iter().any(|(_, c, _)| *c == last) && !facts.arch.bindings.iter().any(|b| b.local == name) {
        return None;
    }
    let head = name.split('.').next().unwrap_or(name);
    if !ctx.imported(file, head).is_empty() {
        return None;
    }
    // The import binding `head`: through an alias (`as`), by its name, or `import a.b`.
    let alias = facts.arch.bindings.iter().find(|b| b.local == head);
    let remote = alias.map_or(head, |b| b.remote.as_str());
    let imp = facts.imports.iter().filter(|i| i.level == 0).find(|i| match alias {
        Some(b) => i.line == b.line && i.names.iter().any(|n| n == remote),
        None => i.names.iter().any(|n| n == head),
    });
    let (module, class) = match (imp, name.rsplit_once('.')) {
        (Some(i), None) => (i.spec.clone(), remote),
        (Some(i), Some((h, c))) if h == head => (format!("{}.{remote}", i.spec), c),
        (None, Some((h, c))) if facts.imports.iter().any(|i| i.level == 0 && i.names.is_empty() && i.spec == h) => {
            (h.to_string(), c)
        }
        _ => return None,
    };
    let found = LIBRARY_VIEWS.binary_search_by(|(m, c, _)| (*m, *c).cmp(&(module.as_str(), class)));
    found.ok().map(|i| LIBRARY_VIEWS[i].2)
}

/// The file whose classes hold `v`.
fn file_of(ctx: &Ctx, v: &RawClass) -> Option<usize> {
    ctx.project.files.iter().position(|f| f.facts.arch.classes.iter().any(|c| std::ptr::eq(c, v)))
}

/// A base class of `v` defined in the scanned code (not `v` itself).
fn project_base<'a>(ctx: &'a Ctx, v: &RawClass, name: &str) -> Option<&'a RawClass> {
    let found = ctx.project.files.iter().flat_map(|f| f.facts.arch.classes.iter()).find(|b| b.class == name);
    found.filter(|b| b.class != v.class)
}

/// (methods, path suffix after the prefix) of every route a registered viewset gets.
pub fn routes(ctx: &Ctx, file: usize, viewset: &str) -> Vec<(Vec<String>, String)> {
    let Some(v) = find(ctx, file, viewset) else {
        return vec![(vec!["ANY".into()], String::new()), (vec!["ANY".into()], "/{pk}".into())];
    };
    let mut actions: Vec<String> = Vec::new();
    let mut extra: Vec<(bool, Vec<String>, String)> = Vec::new();
    let mut lookup = None;
    collect(ctx, v, &mut actions, &mut extra, &mut lookup, 0);
    let detail = format!("/{{{}}}", lookup.unwrap_or_else(|| "pk".into()));
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    for (name, method, is_detail) in DRF_ACTIONS {
        if actions.iter().any(|a| a == name) {
            out.push((vec![(*method).to_string()], if *is_detail { detail.clone() } else { String::new() }));
        }
    }
    for (is_detail, methods, path) in extra {
        let base = if is_detail { detail.as_str() } else { "" };
        out.push((methods.iter().map(|m| m.to_ascii_uppercase()).collect(), format!("{base}/{path}")));
    }
    out
}

/// The viewset class a name refers to: in the registering file, in a file it
/// imports the name (or its module) from, else the only one of that name.
fn find<'a>(ctx: &'a Ctx, file: usize, name: &str) -> Option<&'a RawClass> {
    let (head, class) = match name.rsplit_once('.') {
        Some((h, c)) => (h.rsplit('.').next().unwrap_or(h), c),
        None => (name, name),
    };
    let in_file = |f: usize| ctx.project.files[f].facts.arch.classes.iter().find(|v| v.class == class);
    if let Some(v) = in_file(file) {
        return Some(v);
    }
    if let Some(v) = ctx.imported(file, head).into_iter().find_map(|(m, _)| in_file(m)) {
        return Some(v);
    }
    let mut all = ctx.project.files.iter().flat_map(|f| f.facts.arch.classes.iter()).filter(|v| v.class == class);
    let first = all.next()?;
    all.next().is_none().then_some(first)
}

/// A viewset's actions, extra routes and lookup, its bases' included (nearest first).
fn collect(
    ctx: &Ctx,
    v: &RawClass,
    actions: &mut Vec<String>,
    extra: &mut Vec<(bool, Vec<String>, String)>,
    lookup: &mut Option<String>,
    depth: usize,
) {
    actions.extend(v.actions.iter().cloned());
    for (d, m, p, _) in &v.extra {
        if !extra.iter().any(|(_, _, q)| q == p) {
            extra.push((*d, m.clone(), p.clone()));
        }
    }
    if lookup.is_none() {
        lookup.clone_from(&v.lookup);
    }
    if depth > 8 {
        return;
    }
    for base in &v.bases {
        let last = base.rsplit('.').next().unwrap_or(base);
        if let Ok(i) = DRF_BASES.binary_search_by(|(b, _)| (*b).cmp(last)) {
            actions.extend(DRF_BASES[i].1.iter().map(|a| (*a).to_string()));
            continue;
        }
        if let Some(b) = project_base(ctx, v, last) {
            collect(ctx, b, actions, extra, lookup, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_are_sorted() {
        for table in [DRF_BASES, GENERIC_VIEWS] {
            let names: Vec<&str> = table.iter().map(|b| b.0).collect();
            crate::resolve::assert_sorted(&[&names]);
        }
        assert!(LIBRARY_VIEWS.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        for (_, _, methods) in LIBRARY_VIEWS {
            assert!(methods.windows(2).all(|w| w[0] < w[1]));
        }
        for (_, actions) in DRF_BASES {
            assert!(actions.iter().all(|a| DRF_ACTIONS.iter().any(|(x, _, _)| x == a)));
        }
    }
}
