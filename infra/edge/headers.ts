/**
 * The security headers every Catalyst response carries, defined once. The ALB listener sets the ones
 * an ALB can set (it overwrites a same-named header from the app, so they hold whatever the app does);
 * Cloudflare sets the ones no ALB attribute exists for. Plain literals, so policies decide at preview.
 */

/** The seed's production CSP, hardened with base-uri, form-action and object-src. */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
];

export const SECURITY_HEADERS = {
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
  "X-Frame-Options": "SAMEORIGIN",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": CSP_DIRECTIVES.join("; "),
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  // The seed's value; current browsers ignore the header, older ones get their XSS filter in block mode.
  "X-XSS-Protection": "1; mode=block",
} as const;

export type SecurityHeaderName = keyof typeof SECURITY_HEADERS;

/** Headers the ALB listener guarantees (its routing.http.response.* attributes). */
export const ALB_HEADERS = [
  "Strict-Transport-Security",
  "X-Frame-Options",
  "X-Content-Type-Options",
  "Content-Security-Policy",
] as const satisfies readonly SecurityHeaderName[];

/** Headers an ALB has no attribute for: set at the Cloudflare edge, or by the app when not proxied. */
export const EDGE_ONLY_HEADERS = ["Referrer-Policy", "Permissions-Policy", "X-XSS-Protection"] as const satisfies readonly SecurityHeaderName[];

/** Listener arguments that set the ALB-side headers and drop the `Server` header. */
export function albResponseHeaderAttributes() {
  return {
    routingHttpResponseStrictTransportSecurityHeaderValue: SECURITY_HEADERS["Strict-Transport-Security"],
    routingHttpResponseXFrameOptionsHeaderValue: SECURITY_HEADERS["X-Frame-Options"],
    routingHttpResponseXContentTypeOptionsHeaderValue: SECURITY_HEADERS["X-Content-Type-Options"],
    routingHttpResponseContentSecurityPolicyHeaderValue: SECURITY_HEADERS["Content-Security-Policy"],
    routingHttpResponseServerEnabled: false,
  };
}
