import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";
import { LOAD_BALANCER_TYPES, loadBalancerType } from "./lib/alb";

const SAFE_DESYNC_MODES = ["defensive", "strictest"];

interface Finding {
  problem?: string;
  unknown?: string;
}

type Check = (props: unknown) => Finding;

const CHECKS: Check[] = [
  (props) => {
    const drop = peek(props, "dropInvalidHeaderFields");
    if (drop === UNKNOWN) return { unknown: "dropInvalidHeaderFields" };
    return drop === true ? {} : { problem: "dropInvalidHeaderFields is not true: malformed headers (request smuggling) reach the apps." };
  },
  (props) => {
    // Unset is "defensive", the AWS and provider default.
    const mode = peek(props, "desyncMitigationMode");
    if (mode === UNKNOWN) return { unknown: "desyncMitigationMode" };
    if (mode === undefined || SAFE_DESYNC_MODES.includes(String(mode))) return {};
    return { problem: `desyncMitigationMode is "${String(mode)}"; it must be defensive or strictest (HTTP desync).` };
  },
  (props) => {
    const failOpen = peek(props, "enableWafFailOpen");
    if (failOpen === UNKNOWN) return { unknown: "enableWafFailOpen" };
    return failOpen === true ? { problem: "enableWafFailOpen is true: requests bypass the WAF whenever it cannot answer." } : {};
  },
  (props) => {
    const logs = peek(props, "accessLogs");
    if (logs === UNKNOWN) return { unknown: "accessLogs" };
    const enabled = peek(logs, "enabled");
    if (enabled === UNKNOWN) return { unknown: "accessLogs.enabled" };
    // The bucket is usually another resource's output: only its presence matters here.
    const bucket = peek(logs, "bucket");
    if (enabled !== true || bucket === undefined || bucket === "") {
      return { problem: "accessLogs are not enabled with a bucket: requests to the load balancer leave no trail." };
    }
    return {};
  },
];

export const albHardening = catalystResourcePolicy({
  name: "alb-hardening",
  description: "Application Load Balancers must drop invalid header fields, mitigate HTTP desync, not fail open past the WAF, and write access logs.",
  severity: "high",
  remediationSteps:
    'On the aws.lb.LoadBalancer set dropInvalidHeaderFields: true, desyncMitigationMode: "defensive" (or "strictest"), ' +
    "leave enableWafFailOpen unset/false, and set accessLogs: { enabled: true, bucket: <log bucket> }.",
  checklist: ["Load balancer configured (if using)", "Application logs aggregated"],
  validateResource: forTypes(LOAD_BALANCER_TYPES, (props, args, reportViolation) => {
    const type = loadBalancerType(props);
    if (type === UNKNOWN) decideAtUp("loadBalancerType", "the load balancer type must be a literal in the program");
    if (type !== "application") args.notApplicable(`${type} load balancer: the checks are HTTP-specific`);
    const unknown: string[] = [];
    for (const check of CHECKS) {
      const finding = check(props);
      if (finding.problem) reportViolation(finding.problem);
      if (finding.unknown) unknown.push(finding.unknown);
    }
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "load balancer hardening settings must be literals in the program");
  }),
});
