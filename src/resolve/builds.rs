//! Build configurations: which directory each container image is built from.
//!
//! A Kubernetes Deployment (or an image-only compose service) names an image; the
//! code it runs is the directory some build configuration builds that image from.
//! Read here, each as the tool itself reads it:
//! - Skaffold `build.artifacts[]`: `image` + `context` (default the file's directory);
//! - Cloud Build steps running `gcr.io/cloud-builders/docker` with `args: [build, -t,
//!   IMG, DIR]` (also a `bash -c` script's `docker build` lines), from the file's
//!   directory (a step's `dir:` below it);
//! - GitHub Actions workflows (`.github/workflows/*.yml`): `docker/build-push-action`'s
//!   `with: context:` (default the checkout) and `tags:`, and `docker build` lines of
//!   `run:` scripts (a step's `working-directory:` below the checkout);
//! - `docker build -t IMG DIR` lines of the scan root's shell scripts and `Makefile`.
//!
//! `docker buildx build` is read as `docker build` wherever that is (`docker buildx bake`,
//! whose targets are in an HCL or compose file, is not). Only the plain form is read: a flag this reader does not know may
//! take a value, so a line with one is no fact (precision first). An image written
//! with variables (`gcr.io/$PROJECT_ID/conv:1.0.0`) is matched by its last path
//! segment without the tag (`conv`), see [`Built::builds`].

use super::yaml::{self, Yaml};
use super::{dir_of, join, Project};
use crate::resolve::services::{file_name, image_base};

/// One image a build configuration builds: the image as written and the
/// directories that may hold its code, best first (the build context, then the
/// Dockerfile's directory when `-f` names one elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    pub image: String,
    pub dirs: Vec<String>,
}

/// `docker build` and `docker buildx build` flags that take a value (sorted): skipped
/// with their value.
const VALUE_FLAGS: &[&str] = &[
    "--add-host",
    "--annotation",
    "--attest",
    "--build-arg",
    "--build-context",
    "--builder",
    "--cache-from",
    "--cache-to",
    "--cpu-shares",
    "--iidfile",
    "--label",
    "--memory",
    "--metadata-file",
    "--network",
    "--output",
    "--platform",
    "--progress",
    "--provenance",
    "--sbom",
    "--secret",
    "--ssh",
    "--target",
    "-o",
];

/// `docker build` flags that take none (sorted).
const SWITCHES: &[&str] =
    &["--compress", "--force-rm", "--load", "--no-cache", "--pull", "--push", "--quiet", "--rm", "-q"];

/// A variable or template in an image or directory: not a literal.
fn templated(s: &str) -> bool {
    s.contains('$') || s.contains("{{")
}

/// The image without its tag or digest (`gcr.io/p/conv:1.0` → `gcr.io/p/conv`).
fn untagged(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or(image);
    match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => image,
    }
}

impl Built {
    /// Whether this build makes `image`: the same repository (tags aside), or, when
    /// either is written with variables, the same last path segment, itself literal.
    pub fn builds(&self, image: &str) -> bool {
        if untagged(&self.image) == untagged(image) {
            return true;
        }
        let last = image_base(image);
        (templated(&self.image) || templated(image)) && !templated(last) && last == image_base(&self.image)
    }
}

/// Every image the project's build configurations build, in manifest order.
pub fn built_images(project: &Project) -> Vec<Built> {
    let mut out = Vec::new();
    for m in project.manifests {
        let name = file_name(m);
        let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
        if yaml && name.starts_with("skaffold") {
            skaffold(project, m, &mut out);
        } else if yaml && dir_of(m).ends_with(".github/workflows") {
            workflow(project, m, &mut out);
        } else if yaml {
            cloudbuild(project, m, &mut out);
        } else if !m.contains('/') && (name.ends_with(".sh") || name == "Makefile") {
            let Ok(text) = project.read(m) else { continue };
            script(&text, "", &mut out);
        }
    }
    out
}

/// The YAML documents of a build file (no diagnostics: a build file tapestry cannot
/// read only leaves images unlinked). `${{ … }}` is GitHub's expression syntax, a
/// YAML string, not a Helm template.
fn docs(project: &Project, rel: &str, must_hold: &str) -> Vec<Yaml> {
    match project.read(rel) {
        Ok(text) if text.contains(must_hold) && text.len() <= super::services::MAX_YAML => {
            yaml::parse(&text).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

fn skaffold(project: &Project, rel: &str, out: &mut Vec<Built>) {
    for doc in docs(project, rel, "artifacts") {
        let artifacts = doc.get("build").and_then(|b| b.get("artifacts")).map(Yaml::items).unwrap_or(&[]);
        for (a, _) in artifacts {
            let Some(image) = a.get("image").and_then(Yaml::str) else { continue };
            let ctx = a.get("context").and_then(Yaml::str).unwrap_or(".");
            if let Some(dir) = join(dir_of(rel), ctx) {
                out.push(Built { image: image.to_string(), dirs: vec![dir] });
            }
        }
    }
}

/// A Cloud Build config: `steps[]` whose builder is `cloud-builders/docker`.
fn cloudbuild(project: &Project, rel: &str, out: &mut Vec<Built>) {
    for doc in docs(project, rel, "cloud-builders/docker") {
        for (step, _) in doc.get("steps").map(Yaml::items).unwrap_or(&[]) {
            let builder = step.get("name").and_then(Yaml::str).unwrap_or("");
            if !builder.ends_with("cloud-builders/docker") && !builder.contains("cloud-builders/docker:") {
                continue;
            }
            let Some(cwd) = join(dir_of(rel), step.get("dir").and_then(Yaml::str).unwrap_or("")) else { continue };
            let args: Vec<&str> =
                step.get("args").map(Yaml::items).unwrap_or(&[]).iter().filter_map(|(a, _)| a.str()).collect();
            match args.as_slice() {
                ["build", rest @ ..] | ["buildx", "build", rest @ ..] => out.extend(docker_build(rest, &cwd)),
                ["-c", script_text] => script(script_text, &cwd, out),
                _ => {}
            }
        }
    }
}

/// A GitHub Actions workflow: `jobs.*.steps[]`.
fn workflow(project: &Project, rel: &str, out: &mut Vec<Built>) {
    for doc in docs(project, rel, "docker") {
        for (_, job, _) in doc.get("jobs").map(Yaml::entries).unwrap_or(&[]) {
            for (step, _) in job.get("steps").map(Yaml::items).unwrap_or(&[]) {
                if let Some(run) = step.get("run").and_then(Yaml::str) {
                    let wd = step.get("working-directory").and_then(Yaml::str).unwrap_or("");
                    if let Some(cwd) = join("", wd).filter(|_| !templated(wd)) {
                        script(run, &cwd, out);
                    }
                }
                let uses = step.get("uses").and_then(Yaml::str).unwrap_or("");
                if uses.starts_with("docker/build-push-action@") {
                    out.extend(build_push_action(step.get("with")));
                }
            }
        }
    }
}

/// `docker/build-push-action`'s `with:`: `context` (default the checkout), `file`,
/// `tags` (a list, one a line, or comma-separated).
fn build_push_action(with: Option<&Yaml>) -> Vec<Built> {
    let field = |k: &str| with.and_then(|w| w.get(k));
    let ctx = field("context").and_then(Yaml::str).unwrap_or(".");
    let file = field("file").and_then(Yaml::str);
    let tags: Vec<&str> = match field("tags") {
        Some(Yaml::Scalar(t)) => t.split(['\n', ',']).map(str::trim).filter(|t| !t.is_empty()).collect(),
        Some(y) => y.items().iter().filter_map(|(t, _)| t.str()).collect(),
        None => Vec::new(),
    };
    let Some(dirs) = build_dirs(ctx, file, "") else { return Vec::new() };
    tags.into_iter().map(|t| Built { image: t.to_string(), dirs: dirs.clone() }).collect()
}

/// The context directory (relative to `cwd`) and the Dockerfile's directory when
/// `-f` names one elsewhere; `None` for a context that is no literal local directory.
fn build_dirs(ctx: &str, file: Option<&str>, cwd: &str) -> Option<Vec<String>> {
    if templated(ctx) || ctx.contains("://") || ctx == "-" {
        return None;
    }
    let mut dirs = vec![join(cwd, ctx)?];
    if let Some(df) = file.filter(|f| !templated(f)).and_then(|f| join(cwd, f)) {
        let df_dir = dir_of(&df).to_string();
        if !dirs.contains(&df_dir) {
            dirs.push(df_dir);
        }
    }
    Some(dirs)
}

/// The `docker build` commands of a shell script, Makefile recipe or `run:` block:
/// lines joined at a trailing `\`, each command ending at `&&`, `;`, `|` or `)`.
fn script(text: &str, cwd: &str, out: &mut Vec<Built>) {
    let joined = text.replace("\\\n", " ");
    for line in joined.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut rest = line;
        while let Some(at) = rest.find("docker ") {
            let after = &rest[at + "docker ".len()..];
            // `docker buildx build` takes the same arguments (and a few flags of its own).
            let Some(after) = after.strip_prefix("build ").or_else(|| after.strip_prefix("buildx build ")) else {
                rest = after;
                continue;
            };
            let end = after.find(['&', ';', '|', ')']).unwrap_or(after.len());
            let words: Vec<&str> = after[..end].split_whitespace().collect();
            out.extend(docker_build(&words, cwd));
            rest = &after[end..];
        }
    }
}

/// The arguments after `docker build`: every `-t`/`--tag` image, built from the one
/// positional context. Anything this reader cannot place (an unknown flag, two
/// contexts, none) gives nothing.
fn docker_build(args: &[&str], cwd: &str) -> Vec<Built> {
    let unquote = |a: &str| a.trim_matches(['\'', '"']).to_string();
    let (mut tags, mut file, mut ctx) = (Vec::new(), None, Vec::new());
    let mut it = args.iter().map(|a| unquote(a));
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next());
        match flag.as_str() {
            "-t" | "--tag" => tags.push(value().unwrap_or_default()),
            "-f" | "--file" => file = value(),
            f if VALUE_FLAGS.binary_search(&f).is_ok() => {
                value();
            }
            f if SWITCHES.binary_search(&f).is_ok() => {}
            f if f.starts_with('-') => return Vec::new(),
            _ => ctx.push(a),
        }
    }
    let ([ctx], false) = (ctx.as_slice(), tags.is_empty()) else { return Vec::new() };
    let Some(dirs) = build_dirs(ctx, file.as_deref(), cwd) else { return Vec::new() };
    tags.into_iter().filter(|t| !t.is_empty()).map(|image| Built { image, dirs: dirs.clone() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(line: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        script(line, "", &mut out);
        out.into_iter().map(|b| (b.image, b.dirs)).collect()
    }

    #[test]
    fn tables_sorted() {
        crate::resolve::assert_sorted(&[VALUE_FLAGS, SWITCHES]);
    }

    #[test]
    fn plain_docker_build_lines() {
        let one = |img: &str, dir: &str| vec![(img.to_string(), vec![dir.to_string()])];
        assert_eq!(built("docker build -t acme/api:1 ./api"), one("acme/api:1", "api"));
        assert_eq!(
            built("cd x && docker build --tag=acme/api --no-cache api/. && docker push acme/api"),
            one("acme/api", "api")
        );
        assert_eq!(built("docker build \\\n  -t \"$REG/web:$V\" \\\n  web"), one("$REG/web:$V", "web"));
        let with_file = built("docker build -f svc/Dockerfile -t a/svc .");
        assert_eq!(with_file, vec![("a/svc".to_string(), vec![String::new(), "svc".to_string()])]);
        // An unknown flag may take a value: nothing is known.
        assert!(built("docker build --mystery x -t a/b c").is_empty());
        assert!(built("docker build -t a/b c d").is_empty());
        assert!(built("docker build web").is_empty());
        assert!(built("docker build -t a/b $DIR").is_empty());
        assert!(built("# docker build -t a/b c").is_empty());
        let buildx = "docker buildx build --platform linux/amd64,linux/arm64 --push -t acme/api:1 ./api";
        assert_eq!(built(buildx), one("acme/api:1", "api"));
        assert_eq!(built("docker buildx build -o type=docker --tag acme/web web"), one("acme/web", "web"));
        assert!(built("docker buildx bake -f docker-bake.hcl api").is_empty());
        assert!(built("docker buildx build --mystery x -t a/b c").is_empty());
    }

    #[test]
    fn images_match_by_repository_or_last_segment_with_variables() {
        let b = Built { image: "gcr.io/$PROJECT_ID/conv:1.0.0".into(), dirs: vec!["conversion".into()] };
        assert!(b.builds("gcr.io/qwiklabs-1/conv:1.0.0"));
        assert!(b.builds("gcr.io/other/conv"));
        assert!(!b.builds("gcr.io/qwiklabs-1/conversion:1.0.0"));
        let plain = Built { image: "acme/conv:2".into(), dirs: vec!["conversion".into()] };
        assert!(plain.builds("acme/conv:latest"));
        assert!(!plain.builds("other/conv:2"));
        let var_last = Built { image: "gcr.io/p/$NAME:1".into(), dirs: vec!["x".into()] };
        assert!(!var_last.builds("gcr.io/q/$NAME:1"));
    }
}
