import { PolicyResource } from "@pulumi/policy";
import { catalystStackPolicy, decideAtUp, peek, UNKNOWN } from "./lib";
import { httpsRedirectOnly, LISTENER_RULE_TYPES, LISTENER_TYPES, listenerProtocol } from "./lib/alb";
import { knownStrings, refersTo } from "./lib/references";

const isType = (r: PolicyResource, types: readonly string[]): boolean => types.includes(r.type);

/**
 * A listener rule's own resource does not say which protocol its listener speaks, so this is a
 * stack policy: it finds the listener through `listenerArn` (a property dependency at preview, the
 * ARN at `pulumi up`) and applies the HTTP listener's rule to the rule's actions.
 */
export const albHttpListenerRulesRedirectOnly = catalystStackPolicy({
  name: "alb-http-listener-rules-redirect-only",
  description: "Listener rules on an HTTP listener must only redirect to HTTPS (301, port 443); they must not forward or answer.",
  severity: "high",
  remediationSteps:
    "Attach forwarding/answering listener rules to the HTTPS listener. On the HTTP listener keep only the default 301 redirect to HTTPS:443 " +
    "(or rules whose actions are that same redirect).",
  checklist: ["HTTP → HTTPS redirect working"],
  validateStack: (args, reportViolation) => {
    const listeners = args.resources.filter((r) => isType(r, LISTENER_TYPES));
    const unknown: string[] = [];
    for (const rule of args.resources.filter((r) => isType(r, LISTENER_RULE_TYPES))) {
      const listener = listeners.find((l) => refersTo(rule, "listenerArn", l, "arn"));
      if (!listener) {
        if (knownStrings(peek(rule.props, "listenerArn")).length > 0) {
          reportViolation(`Listener rule ${rule.name}: its listener is not managed in this stack, so its protocol cannot be checked.`, rule.urn);
        } else unknown.push(`${rule.name}.listenerArn`);
        continue;
      }
      const protocol = listenerProtocol(listener.props);
      if (protocol === UNKNOWN) unknown.push(`${listener.name}.protocol`);
      if (protocol !== "HTTP") continue;
      const findings = httpsRedirectOnly(peek(rule.props, "actions"), "actions");
      findings.problems.forEach((p) => reportViolation(`Listener rule ${rule.name} on HTTP listener ${listener.name}: ${p}`, rule.urn));
      unknown.push(...findings.unknown.map((u) => `${rule.name}.${u}`));
    }
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "listener rules are matched to their listener by dependency or ARN");
  },
});
