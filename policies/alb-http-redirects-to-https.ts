import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";
import { httpsRedirectOnly, LISTENER_TYPES, listenerProtocol } from "./lib/alb";

export const albHttpRedirectsToHttps = catalystResourcePolicy({
  name: "alb-http-redirects-to-https",
  description: "HTTP listeners must only redirect to HTTPS (301, port 443), never serve traffic in plaintext.",
  severity: "high",
  remediationSteps:
    'Give the HTTP listener exactly one default action: `{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }`. ' +
    "Serve the apps from the HTTPS listener only.",
  checklist: ["HTTP → HTTPS redirect working", "HTTPS & TLS › HTTP should redirect to HTTPS"],
  validateResource: forTypes(LISTENER_TYPES, (props, args, reportViolation) => {
    const protocol = listenerProtocol(props);
    if (protocol === UNKNOWN) decideAtUp("protocol", "the listener protocol must be a literal in the program");
    if (protocol !== "HTTP") args.notApplicable(`${protocol} listener: not plaintext HTTP`);
    const { problems, unknown } = httpsRedirectOnly(peek(props, "defaultActions"), "defaultActions");
    problems.forEach((p) => reportViolation(p));
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "the redirect must be literal in the program");
  }),
});
