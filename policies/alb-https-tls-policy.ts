import { catalystResourcePolicy, decideAtUp, forTypes, requireKnown, UNKNOWN } from "./lib";
import { LISTENER_TYPES, listenerProtocol } from "./lib/alb";

/**
 * ALB/NLB security policies that negotiate TLS 1.2 or 1.3 only, by EXACT name. Prefix matching is
 * wrong: `ELBSecurityPolicy-TLS13-1-0-2021-06` and `-TLS13-1-1-2021-06` start like the good ones
 * and still accept TLS 1.0/1.1. The stack keeps its own copy (stacks/validators.ts); a test keeps
 * the two equal.
 */
export const ALLOWED_TLS_POLICIES: readonly string[] = [
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
];

const TLS_PROTOCOLS = ["HTTPS", "TLS"];

export const albHttpsTlsPolicy = catalystResourcePolicy({
  name: "alb-https-tls-policy",
  description: "HTTPS/TLS listeners must use a TLS 1.2+ security policy from the exact allow-list.",
  severity: "high",
  remediationSteps:
    "Set `sslPolicy` on the aws.lb.Listener to one of: " +
    `${ALLOWED_TLS_POLICIES.join(", ")} ` +
    "(AWS recommends ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09). Leaving it unset gives ELBSecurityPolicy-2016-08 (TLS 1.0+).",
  checklist: ["HTTPS/TLS configured with valid certificate", "HTTPS & TLS › Use TLS 1.2 or higher (TLS 1.3 preferred)"],
  validateResource: forTypes(LISTENER_TYPES, (props, args, reportViolation) => {
    const protocol = listenerProtocol(props);
    if (protocol === UNKNOWN) decideAtUp("protocol", "the listener protocol must be a literal in the program");
    if (!TLS_PROTOCOLS.includes(protocol)) args.notApplicable(`${protocol} listener: no TLS to negotiate`);
    const sslPolicy = requireKnown(props, "sslPolicy", "the TLS policy must be a literal in the program");
    if (sslPolicy === undefined || sslPolicy === null || sslPolicy === "") {
      reportViolation("sslPolicy is not set: AWS then applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1.");
    } else if (!ALLOWED_TLS_POLICIES.includes(String(sslPolicy))) {
      reportViolation(`sslPolicy "${String(sslPolicy)}" is not in the TLS 1.2+ allow-list (names are matched exactly).`);
    }
  }),
});
