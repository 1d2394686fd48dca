// Shared reading of Elastic Load Balancing (v2) listeners and their actions. The `aws.alb` module is
// an alias of `aws.lb` with its own type tokens, so every check covers both.
import { peek, UNKNOWN } from "./preview";

export const LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"] as const;
export const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"] as const;
export const LISTENER_RULE_TYPES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"] as const;

/**
 * A listener's protocol, upper-cased. Unset means HTTP: that is what an Application Load Balancer
 * listener gets (a Network Load Balancer's would be TCP, which these policies do not cover).
 */
export function listenerProtocol(props: unknown): string | typeof UNKNOWN {
  const protocol = peek(props, "protocol");
  if (protocol === UNKNOWN) return UNKNOWN;
  return typeof protocol === "string" && protocol ? protocol.toUpperCase() : "HTTP";
}

/** A load balancer's type; unset means "application" (the AWS and provider default). */
export function loadBalancerType(props: unknown): string | typeof UNKNOWN {
  const type = peek(props, "loadBalancerType");
  if (type === UNKNOWN) return UNKNOWN;
  return typeof type === "string" && type ? type : "application";
}

export interface ActionFindings {
  /** Definite problems, one message each. */
  problems: string[];
  /** Paths of values the check needed but that are unknown at preview. */
  unknown: string[];
}

const REDIRECT_EXPECTED = { protocol: "HTTPS", statusCode: "HTTP_301", port: "443" } as const;

/**
 * Checks that every action only redirects to HTTPS with a permanent redirect to port 443.
 * `#{port}` (the default) keeps the HTTP port, which sends browsers to https://host:80 and breaks
 * the redirect, so the port must be 443 explicitly.
 */
export function httpsRedirectOnly(actions: unknown, path: string): ActionFindings {
  const findings: ActionFindings = { problems: [], unknown: [] };
  if (actions === UNKNOWN) {
    findings.unknown.push(path);
    return findings;
  }
  const count = Array.isArray(actions) ? actions.length : 0;
  if (count === 0) {
    findings.problems.push(`${path} is empty: an HTTP listener must redirect to HTTPS.`);
  }
  for (let i = 0; i < count; i++) {
    checkRedirectAction(peek(actions, i), `${path}[${i}]`, findings);
  }
  return findings;
}

function checkRedirectAction(action: unknown, path: string, findings: ActionFindings): void {
  if (action === UNKNOWN) {
    findings.unknown.push(path);
    return;
  }
  const type = peek(action, "type");
  if (type === UNKNOWN) {
    findings.unknown.push(`${path}.type`);
    return;
  }
  if (type !== "redirect") {
    findings.problems.push(`${path} is a "${String(type)}" action: HTTP traffic must only be redirected to HTTPS, never served.`);
    return;
  }
  const redirect = peek(action, "redirect");
  if (redirect === UNKNOWN) {
    findings.unknown.push(`${path}.redirect`);
    return;
  }
  for (const [key, expected] of Object.entries(REDIRECT_EXPECTED)) {
    const value = peek(redirect, key);
    if (value === UNKNOWN) findings.unknown.push(`${path}.redirect.${key}`);
    else if (value !== expected) {
      const shown = value === undefined ? "unset" : `"${String(value)}"`;
      findings.problems.push(`${path}.redirect.${key} is ${shown}; it must be "${expected}".`);
    }
  }
}
