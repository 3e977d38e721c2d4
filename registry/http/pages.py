"""What every HTML page answers with: its security headers (a strict content security
policy, no referrer, no MIME sniffing)."""

# Every answer also gets frame-ancestors 'none' and X-Frame-Options (security.forbid_framing).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
