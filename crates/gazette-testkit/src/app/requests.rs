//! Requests to a test app as a browser makes them: plain GETs, forms sent with their CSRF
//! token, signing in.

use super::TestApp;
use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, client, csrf_of};

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// GETs a path and reads the body as text.
    pub async fn get_text(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        let text = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading GET {path}: {e}"));
        (status, text)
    }

    /// GETs a path, panicking only if the server cannot be reached at all.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The body of a page that must answer 200.
    pub async fn page_text(&self, http: &reqwest::Client, path: &str) -> String {
        let response = http
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert_eq!(response.status(), 200, "GET {path}");
        response
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    /// Sends `fields` to `action` with the CSRF token of the form on `form_path`, as a browser
    /// submitting that form would.
    pub async fn submit_form(
        &self,
        http: &reqwest::Client,
        form_path: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = csrf_of(&self.page_text(http, form_path).await);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        http.post(self.url(action))
            .form(&all)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {action}: {e}"))
    }

    /// What a reader's browser gets for `path` without following redirects: the status and
    /// the `Location` header (empty when there is none).
    pub async fn status_and_location(&self, path: &str) -> (u16, String) {
        let response = client()
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (response.status().as_u16(), location)
    }

    /// Signs `http` in through the sign-in form, as a browser would.
    pub async fn sign_in(
        &self,
        http: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let form = http
            .get(self.url("/admin/sign-in"))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .unwrap_or_else(|e| panic!("GET /admin/sign-in: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading the sign-in form: {e}"));
        http.post(self.url("/admin/sign-in"))
            .form(&[
                ("email", email),
                ("password", password),
                ("csrf", &csrf_of(&form)),
                ("next", "/admin/"),
            ])
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /admin/sign-in: {e}"))
    }

    /// A fresh browser-like client signed in as the first-run administrator.
    pub async fn admin_client(&self) -> reqwest::Client {
        let http = client();
        let response = self.sign_in(&http, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(response.status(), 303, "the administrator signs in");
        http
    }
}
