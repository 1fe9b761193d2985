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
/// bases'), `ANY` when the class is not in the scanned code or handles none: Django's
/// `View.as_view()`, a Flask-RESTX/RESTful `Resource`.
pub fn class_methods(ctx: &Ctx, file: usize, class: &str) -> Vec<String> {
    let any = || vec!["ANY".to_string()];
    let Some(v) = find(ctx, file, class) else { return any() };
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
        if let Some(b) = project_base(ctx, v, last) {
            handlers(ctx, b, out, depth + 1);
        }
    }
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
        for (_, actions) in DRF_BASES {
            assert!(actions.iter().all(|a| DRF_ACTIONS.iter().any(|(x, _, _)| x == a)));
        }
    }
}
