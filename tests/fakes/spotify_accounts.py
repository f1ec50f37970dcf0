"""The fake Spotify accounts service: the token endpoint and the login (authorize) page.

Like accounts.spotify.com it checks the client id + secret (HTTP Basic) on every token request,
answers wrong ones with 400 invalid_client, hands out login codes that work once, and refreshes
tokens until their refresh token is revoked.
"""
from __future__ import annotations

import base64
import itertools
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from tests.fakes.server import FakeServer, Reply, Request

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"
USER_SCOPE = "user-library-read"


def token_error(error: str, description: str) -> Reply:
    return Reply.json({"error": error, "error_description": description}, status=400)


class FakeAccounts:
    def __init__(self, server: FakeServer):
        self.clients = {CLIENT_ID: CLIENT_SECRET}
        self.tokens: dict[str, str] = {}  # access token -> "app" | "user"
        self.refresh_tokens: set[str] = set()
        self._codes: dict[str, str] = {}  # authorization code -> redirect URI
        self._counter = itertools.count(1)
        server.route("POST", r"/api/token", self._token)
        server.route("GET", r"/authorize", self._authorize)

    def token_kind(self, request: Request) -> str | None:
        """"app" or "user" for a request with a token we issued, else None."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return self.tokens.get(token) if scheme == "Bearer" else None

    def approve_login(self, authorize_url: str) -> tuple[str, str | None]:
        """Play the user clicking "Agree": follow the authorize URL, return (code, state) from the redirect."""
        answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
        assert answer.status_code == 302, answer.text
        query = parse_qs(urlsplit(answer.headers["Location"]).query)
        return query["code"][0], query.get("state", [None])[0]

    def _token(self, request: Request) -> Reply:
        client_id, client_secret = self._basic_auth(request)
        if self.clients.get(client_id) != client_secret or not client_id:
            return token_error("invalid_client", "Invalid client")
        form = request.form()
        grant = form.get("grant_type")
        if grant == "client_credentials":
            return Reply.json({"access_token": self._issue("app"), "token_type": "Bearer", "expires_in": 3600})
        if grant == "authorization_code":
            redirect_uri = self._codes.pop(form.get("code", ""), None)  # a code works once
            if redirect_uri is None or redirect_uri != form.get("redirect_uri"):
                return token_error("invalid_grant", "Invalid authorization code")
            refresh_token = f"refresh-{next(self._counter)}"
            self.refresh_tokens.add(refresh_token)
            return Reply.json({"access_token": self._issue("user"), "token_type": "Bearer", "expires_in": 3600,
                               "refresh_token": refresh_token, "scope": USER_SCOPE})
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return token_error("invalid_grant", "Refresh token revoked")
            return Reply.json({"access_token": self._issue("user"), "token_type": "Bearer", "expires_in": 3600,
                               "scope": USER_SCOPE})
        return token_error("unsupported_grant_type", f"grant_type must be client_credentials, got {grant}")

    def _authorize(self, request: Request) -> Reply:
        query = request.query
        if query.get("client_id") not in self.clients or query.get("response_type") != "code":
            return Reply.text("INVALID_CLIENT: Invalid client", status=400)
        code = f"code-{next(self._counter)}"
        self._codes[code] = query["redirect_uri"]
        back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
        return Reply(302, b"", {"Location": f"{query['redirect_uri']}?{urlencode(back)}"})

    def _issue(self, kind: str) -> str:
        token = f"{kind}-token-{next(self._counter)}"
        self.tokens[token] = kind
        return token

    @staticmethod
    def _basic_auth(request: Request) -> tuple[str, str]:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme != "Basic":
            return "", ""
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return client_id, secret
