import { cspProblems } from "../../policies/alb-content-security-policy";
import { hstsProblems } from "../../policies/alb-security-headers";
import { ALB_HEADERS, albResponseHeaderAttributes, EDGE_ONLY_HEADERS, SECURITY_HEADERS } from "./headers";

describe("security headers", () => {
  it("carries the seed's values", () => {
    expect(SECURITY_HEADERS).toEqual({
      "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
      "X-Frame-Options": "SAMEORIGIN",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
      "X-XSS-Protection": "1; mode=block",
    });
  });

  it("has a production CSP: no unsafe-inline or unsafe-eval anywhere, framing forbidden", () => {
    const csp = SECURITY_HEADERS["Content-Security-Policy"];
    expect(csp).not.toMatch(/unsafe-(inline|eval|hashes)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(cspProblems(csp)).toEqual([]);
    expect(hstsProblems(SECURITY_HEADERS["Strict-Transport-Security"])).toEqual([]);
  });

  it("splits the seven headers between the ALB and the edge, each set exactly once", () => {
    expect([...ALB_HEADERS, ...EDGE_ONLY_HEADERS].sort()).toEqual(Object.keys(SECURITY_HEADERS).sort());
  });

  it("maps the ALB headers onto the listener attributes and turns the Server header off", () => {
    expect(albResponseHeaderAttributes()).toEqual({
      routingHttpResponseStrictTransportSecurityHeaderValue: SECURITY_HEADERS["Strict-Transport-Security"],
      routingHttpResponseXFrameOptionsHeaderValue: "SAMEORIGIN",
      routingHttpResponseXContentTypeOptionsHeaderValue: "nosniff",
      routingHttpResponseContentSecurityPolicyHeaderValue: SECURITY_HEADERS["Content-Security-Policy"],
      routingHttpResponseServerEnabled: false,
    });
  });
});
